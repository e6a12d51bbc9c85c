import { z } from 'zod';
import { ZAppErrorCode } from '../errors';
import { MAX_MODELS_PER_COMPARISON } from '../tiers';
import { withoutNul, ZId } from './common';
import { ZModelId } from './model';

export const MAX_PROMPT_CHARS = 100_000;
export const MAX_SYSTEM_PROMPT_CHARS = 10_000;

/** A list of model ids in which each id appears once. */
export const ZModelSelection = z
  .array(ZModelId)
  .min(1, 'Pick at least one model')
  .max(MAX_MODELS_PER_COMPARISON, `Pick at most ${MAX_MODELS_PER_COMPARISON} models`)
  .refine((models) => new Set(models).size === models.length, {
    message: 'Each model can be picked only once',
  });

export const ZPrompt = withoutNul(
  z
    .string()
    .trim()
    .min(1, 'Write a prompt first')
    .max(
      MAX_PROMPT_CHARS,
      `The prompt is too long (at most ${MAX_PROMPT_CHARS.toLocaleString('en-US')} characters)`,
    ),
);

/** SHA-256 hex of stable browser traits, sent by the web app for anonymous visitors. */
export const ZBrowserFingerprint = z.string().regex(/^[a-f0-9]{64}$/, 'Invalid browser fingerprint');

/**
 * Start a comparison (or a follow-up when `conversationId` is given). The tier's model limit and model
 * access are checked by the API, which knows the user. With `retry`, the one model in `models` answers
 * the conversation's last prompt again (a retry of a failed answer, or a regenerate of a finished one):
 * no new prompt is saved, `prompt` must be that last prompt, and the new answer replaces the old one.
 */
const ZCompareRunFields = z.object({
  models: ZModelSelection,
  prompt: ZPrompt,
  conversationId: ZId.optional(),
  temperature: z.number().min(0, 'Temperature is at least 0').max(2, 'Temperature is at most 2').optional(),
  systemPrompt: withoutNul(
    z
      .string()
      .max(
        MAX_SYSTEM_PROMPT_CHARS,
        `The system prompt is too long (at most ${MAX_SYSTEM_PROMPT_CHARS.toLocaleString('en-US')} characters)`,
      ),
  ).optional(),
  fingerprint: ZBrowserFingerprint.optional(),
  retry: z.literal(true).optional(),
  /**
   * Let the models that support it search the web while they answer (when staff turned web search on):
   * they get `web_search` and `fetch_url` tools; the others answer as before with a note on their card.
   */
  webSearch: z.boolean().optional(),
  /**
   * A blind run (issue 17): the cards are "Model A", "Model B", … in a random order, and the models are
   * named only after the owner's vote (`arena.vote`). Two or more models, a new comparison only (not a
   * follow-up, not a retry): a follow-up would show the same answers' threads, and a conversation's later
   * turns would name the models.
   */
  blind: z.literal(true).optional(),
});
export const ZCompareRunInput = ZCompareRunFields.refine(
  (input) => input.retry === undefined || (input.models.length === 1 && input.conversationId !== undefined),
  { message: 'A retry runs one model of a saved conversation again', path: ['retry'] },
)
  .refine((input) => input.blind === undefined || input.models.length >= 2, {
    message: 'A blind comparison needs at least two models',
    path: ['blind'],
  })
  .refine((input) => input.blind === undefined || (input.conversationId === undefined && !input.retry), {
    message: 'A blind comparison starts a new conversation (no follow-up or retry)',
    path: ['blind'],
  });
export type TCompareRunInput = z.infer<typeof ZCompareRunInput>;

/** Ask what a comparison would cost before running it; same fields as a run. */
export const ZCompareEstimateInput = ZCompareRunInput;
export type TCompareEstimateInput = z.infer<typeof ZCompareEstimateInput>;

/** A visitor's proof that a run is theirs: the secret `compare.start` answered (users are known by session). */
export const ZRunSecret = z.string().min(16).max(128);

/** What `compare.start` answers: the run to follow with `compare.events`. */
export const ZCompareStarted = z.object({
  runId: z.uuid(),
  /** The saved conversation (null for anonymous visitors, whose history stays in the browser). */
  conversationId: z.number().int().positive().nullable(),
  /** Visitors only: what `compare.events` and `compare.stop` need (nobody else sees it). */
  runSecret: ZRunSecret.nullable(),
  /** The models in card order; a blind run's labels ("Model A" …) instead of ids. */
  models: z.array(z.string()),
  blind: z.boolean().default(false),
});
export type TCompareStarted = z.infer<typeof ZCompareStarted>;

/**
 * Follow a run's events. `lastEventId` (sent by the client when it reconnects) resumes after that event,
 * so nothing is lost or repeated.
 */
export const ZCompareEventsInput = z.object({
  runId: z.uuid(),
  runSecret: ZRunSecret.optional(),
  lastEventId: z
    .string()
    .regex(/^\d{1,9}$/, 'Invalid event id')
    .nullish(),
});
export type TCompareEventsInput = z.infer<typeof ZCompareEventsInput>;

/** Stop a running comparison: every model, or only `modelId`. */
export const ZCompareStopInput = z.object({
  runId: z.uuid(),
  /** A model id, or a blind run's label ("Model A"). */
  modelId: z.union([ZModelId, z.string().regex(/^Model [A-Z]$/, 'Unknown model')]).optional(),
  runSecret: ZRunSecret.optional(),
});
export type TCompareStopInput = z.infer<typeof ZCompareStopInput>;

const ZTokenCount = z.number().int().nonnegative();

export const ZCompareStartedEvent = z.object({
  type: z.literal('started'),
  /** The saved conversation (null for anonymous visitors, whose history stays in the browser). */
  conversationId: z.number().int().positive().nullable(),
  runId: z.string(),
  models: z.array(z.string()),
});

/** Another piece of a model's answer, in order. */
export const ZCompareDeltaEvent = z.object({
  type: z.literal('delta'),
  modelId: z.string(),
  text: z.string(),
});

export const ZCompareModelDoneEvent = z.object({
  type: z.literal('modelDone'),
  modelId: z.string(),
  inputTokens: ZTokenCount,
  outputTokens: ZTokenCount,
  /** Time to first token; null when the model produced no text. */
  ttftMs: z.number().nonnegative().nullable(),
  durationMs: z.number().nonnegative(),
  /** Unrounded credits for this answer; the comparison is charged once, in `done`. */
  credits: z.number().nonnegative(),
  /** What the provider reported the answer cost in USD (null when it did not, and for mock answers). */
  costUsd: z.number().nonnegative().nullable().default(null),
  /** Web searches the answer made (included in `credits`). */
  searches: z.number().int().nonnegative().default(0),
});

/** A model failed (error, time limit, stopped); `message` is readable by the user. */
export const ZCompareModelErrorEvent = z.object({
  type: z.literal('modelError'),
  modelId: z.string(),
  message: z.string(),
  /**
   * The answer's figures as it ended (the API sends them; older logs may not): a stopped answer is
   * charged for what it produced, a failed one costs nothing.
   */
  inputTokens: ZTokenCount.optional(),
  outputTokens: ZTokenCount.optional(),
  ttftMs: z.number().nonnegative().nullable().optional(),
  durationMs: z.number().nonnegative().optional(),
  credits: z.number().nonnegative().optional(),
  costUsd: z.number().nonnegative().nullable().optional(),
  searches: z.number().int().nonnegative().optional(),
});

export const ZCompareDoneEvent = z.object({
  type: z.literal('done'),
  creditsCharged: z.number().int().nonnegative(),
  creditsRemaining: z.number(),
});

/**
 * The run itself failed (it could not be saved or settled) — its last event, instead of `done`. Sent as
 * an event, not as an error, so that no client reconnects to fetch the same ending again and again.
 */
export const ZCompareFailedEvent = z.object({
  type: z.literal('failed'),
  message: z.string(),
  code: ZAppErrorCode,
});

/** Whether comparisons can search the web now (staff turned it on with a provider and key). */
export const ZWebSearchStatus = z.object({ enabled: z.boolean() });
export type TWebSearchStatus = z.infer<typeof ZWebSearchStatus>;

/** A page a model was given by a tool (a search result or a page it read). */
export const ZSource = z.object({
  url: z.string(),
  title: z.string(),
});
export type TSource = z.infer<typeof ZSource>;

export const WEB_TOOLS = ['web_search', 'fetch_url'] as const;
export const ZWebTool = z.enum(WEB_TOOLS);
export type TWebTool = z.infer<typeof ZWebTool>;

/**
 * A model's tool call as it goes: `running` (the card's status line: "searching: <query>" /
 * "reading: <url>"), then `done` with the pages it gave the model (added to the card's sources) or
 * `failed` with a readable note (the model is told, and goes on answering).
 */
export const ZCompareToolEvent = z.object({
  type: z.literal('tool'),
  modelId: z.string(),
  /** The call's place in this answer (0, 1, …): its running/done/failed events share it. */
  index: z.number().int().nonnegative(),
  tool: ZWebTool,
  /** The query searched or the URL read. */
  target: z.string(),
  state: z.enum(['running', 'done', 'failed']),
  sources: z.array(ZSource).default([]),
  note: z.string().nullable().default(null),
});

/** Something the card should say about this answer that is not the answer (e.g. why search was not used). */
export const ZCompareNoteEvent = z.object({
  type: z.literal('note'),
  modelId: z.string(),
  message: z.string(),
});

/** What `compare.events` yields, in order: started, then deltas and per-model ends, then done (or failed). */
export const ZCompareEvent = z.discriminatedUnion('type', [
  ZCompareStartedEvent,
  ZCompareDeltaEvent,
  ZCompareToolEvent,
  ZCompareNoteEvent,
  ZCompareModelDoneEvent,
  ZCompareModelErrorEvent,
  ZCompareDoneEvent,
  ZCompareFailedEvent,
]);
export type TCompareEvent = z.infer<typeof ZCompareEvent>;
export type TCompareEventType = TCompareEvent['type'];
