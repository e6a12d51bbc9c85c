import { z } from 'zod';
import { withoutNul } from './common';
import { ZSource } from './compare';
import {
  answersFromItsModels,
  keptTurns,
  ZConversationType,
  ZImportedAnswer,
  ZImportedConversation,
  ZKeptModels,
  ZKeptTitle,
} from './conversation';
import { ZModelId } from './model';
import { ZIsoDateTime } from './user';

/**
 * The JSON export of a conversation (`conversations.export({ format: 'json' })`), version 1, documented
 * in the README. `conversations.import` reads it back. A new version gets a new `version` number; readers
 * refuse versions they do not know rather than guess.
 */
export const EXPORT_FORMAT = 'compareintel.conversation';
export const EXPORT_VERSION = 1;

export const ZExportedAnswer = ZImportedAnswer.extend({
  status: z.enum(['done', 'failed', 'stopped']),
  sources: z
    .array(ZSource.extend({ url: z.string().max(2048), title: z.string().max(500) }))
    .max(100)
    .default([]),
});
export type TExportedAnswer = z.infer<typeof ZExportedAnswer>;

export const ZExportedTurn = z.object({
  prompt: withoutNul(
    z.string().trim().min(1, 'A prompt cannot be empty').max(100_000, 'The prompt is too long'),
  ),
  /** Per model id; a model without an answer to this prompt is left out. */
  answers: z.record(ZModelId, ZExportedAnswer),
});
export type TExportedTurn = z.infer<typeof ZExportedTurn>;

export const ZExportedConversation = z
  .object({
    title: ZKeptTitle,
    type: ZConversationType,
    createdAt: ZIsoDateTime,
    updatedAt: ZIsoDateTime,
    models: ZKeptModels,
    turns: keptTurns(ZExportedTurn),
  })
  .refine(...answersFromItsModels);
export type TExportedConversation = z.infer<typeof ZExportedConversation>;

export const ZConversationExport = z.object({
  format: z.literal(EXPORT_FORMAT, `Not a CompareIntel export (format must be "${EXPORT_FORMAT}")`),
  version: z.literal(EXPORT_VERSION, `Unknown export version (this app reads version ${EXPORT_VERSION})`),
  exportedAt: ZIsoDateTime,
  conversation: ZExportedConversation,
});
export type TConversationExport = z.infer<typeof ZConversationExport>;

export const EXPORT_FORMATS = ['markdown', 'json', 'html'] as const;
export const ZExportFormat = z.enum(EXPORT_FORMATS);
export type TExportFormat = z.infer<typeof ZExportFormat>;

export const ZExportConversationInput = z.object({ id: z.number().int().positive(), format: ZExportFormat });
export const ZExportedFile = z.object({ filename: z.string(), mimeType: z.string(), content: z.string() });
export type TExportedFile = z.infer<typeof ZExportedFile>;

type TImportItemInput = z.input<typeof ZImportedConversation> | z.input<typeof ZConversationExport>;

function isExportDocument(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'format' in value;
}

/**
 * One item of `conversations.import`: an export document when it has a `format` field, else what a
 * visitor's browser kept. Chosen up front (not a plain union) so a bad item's issues name its own
 * fields rather than "matches neither shape".
 */
export const ZImportItem = z
  .custom<TImportItemInput>(() => true)
  .transform((value, ctx) => {
    const schema = isExportDocument(value) ? ZConversationExport : ZImportedConversation;
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) {
      ctx.addIssue({
        code: 'custom',
        message: issue.message,
        path: issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key)),
      });
    }
    return z.NEVER;
  });

/**
 * `conversations.import`: each item is either what a visitor's browser kept (with its `localId`) or a
 * JSON export document (reported as `export-<position>`).
 */
export const ZImportConversationsInput = z.object({
  conversations: z.array(ZImportItem).min(1, 'Nothing to import').max(20, 'At most 20 conversations at once'),
});
export type TImportConversationsInput = z.infer<typeof ZImportConversationsInput>;

export function isConversationExport(
  item: TImportConversationsInput['conversations'][number],
): item is TConversationExport {
  return 'format' in item;
}
