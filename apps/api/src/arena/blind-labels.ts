import { randomInt } from 'node:crypto';
import {
  BLIND_LABELS,
  type TCompareEvent,
  type TConversationDetail,
  type TMessage,
} from '@compareintel/shared';
import type { RunRecord } from '../compare/run-events';

/** A blind run's labels both ways: label → model id, and model id → label. */
export interface BlindLabels {
  byLabel: ReadonlyMap<string, string>;
  byModel: ReadonlyMap<string, string>;
}

export function blindLabelsOf(labels: Readonly<Record<string, string>>): BlindLabels {
  const entries = Object.entries(labels);
  return { byLabel: new Map(entries), byModel: new Map(entries.map(([label, id]) => [id, label])) };
}

/** The labels in their order (Model A, Model B, …): the only order a blind run's cards may have. */
export function labelOrder(byLabel: ReadonlyMap<string, string>): string[] {
  return BLIND_LABELS.filter((label) => byLabel.has(label));
}

/** Label each model at random (a uniform shuffle from the OS's random source): label → model id. */
export function assignLabels(modelIds: readonly string[]): Record<string, string> {
  const shuffled = [...modelIds];
  for (let i = shuffled.length - 1; i > 0; i -= 1) {
    const j = randomInt(i + 1);
    [shuffled[i], shuffled[j]] = [shuffled[j] ?? '', shuffled[i] ?? ''];
  }
  return Object.fromEntries(shuffled.map((id, index) => [BLIND_LABELS[index] ?? `Model ${index + 1}`, id]));
}

/**
 * Replace every model id, and every model name given in `names`, in a text by its label (a note such as
 * "<name> cannot search the web", or a provider's error naming the model).
 */
export function maskText(text: string, labels: BlindLabels, names: ReadonlyMap<string, string>): string {
  let masked = text;
  for (const [modelId, label] of labels.byModel) {
    masked = masked.split(modelId).join(label);
    const name = names.get(modelId);
    if (name) masked = masked.split(name).join(label);
  }
  return masked;
}

/** An event as the owner of a blind run may see it before the vote: labels for ids, in label order. */
export function maskEvent(
  event: TCompareEvent,
  labels: BlindLabels,
  names: ReadonlyMap<string, string>,
): TCompareEvent {
  const label = (modelId: string) => labels.byModel.get(modelId) ?? modelId;
  switch (event.type) {
    case 'started':
      return { ...event, models: labelOrder(labels.byLabel) };
    case 'delta':
      return { ...event, modelId: label(event.modelId) };
    case 'tool':
      return {
        ...event,
        modelId: label(event.modelId),
        note: event.note === null ? null : maskText(event.note, labels, names),
      };
    case 'note':
      return { ...event, modelId: label(event.modelId), message: maskText(event.message, labels, names) };
    case 'modelDone':
      return { ...event, modelId: label(event.modelId) };
    case 'modelError':
      return { ...event, modelId: label(event.modelId), message: maskText(event.message, labels, names) };
    default:
      return event;
  }
}

export function maskRecord(
  record: RunRecord,
  labels: BlindLabels,
  names: ReadonlyMap<string, string>,
): RunRecord {
  if ('failure' in record) {
    return { failure: { ...record.failure, message: maskText(record.failure.message, labels, names) } };
  }
  return { event: maskEvent(record.event, labels, names) };
}

/** A blind conversation's summary before the vote: its models as labels, in label order. */
export function maskSummary<T extends { modelsUsed: string[] }>(summary: T, labels: BlindLabels): T {
  return { ...summary, modelsUsed: labelOrder(labels.byLabel) };
}

/**
 * A blind conversation before the vote: threads keyed by label (in label order), each answer's model id
 * a label, and what the API wrote about an answer (a failure's reason, notes) with names masked.
 */
export function maskDetail<T extends TConversationDetail>(
  detail: T,
  runId: string,
  labels: BlindLabels,
  names: ReadonlyMap<string, string>,
): T {
  const maskMessage = (message: TMessage): TMessage => {
    const label = message.modelId === null ? null : (labels.byModel.get(message.modelId) ?? message.modelId);
    return {
      ...message,
      modelId: label,
      content: message.success ? message.content : maskText(message.content, labels, names),
      error: message.error === null ? null : maskText(message.error, labels, names),
      notes: message.notes.map((note) => maskText(note, labels, names)),
    };
  };
  const threads: TConversationDetail['threads'] = {};
  for (const label of labelOrder(labels.byLabel)) {
    const modelId = labels.byLabel.get(label) ?? '';
    threads[label] = (detail.threads[modelId] ?? []).map((message) => message && maskMessage(message));
  }
  return { ...maskSummary(detail, labels), threads, prompts: detail.prompts, blindRunId: runId };
}
