import { formatCount, formatCredits, formatMs, formatTable } from '../format';
import type { RunState } from './run-state';

/** The figures per model, then what the run was charged and what is left. */
export function formatSummary(state: RunState): string {
  const answers = [...state.answers.values()];
  const table = formatTable(
    ['MODEL', 'STATUS', 'TTFT', 'TOKENS IN', 'TOKENS OUT', 'CREDITS'],
    answers.map((answer) => [
      answer.modelId,
      answer.status === 'streaming' ? 'cut off' : answer.status,
      formatMs(answer.ttftMs),
      formatCount(answer.inputTokens),
      formatCount(answer.outputTokens),
      formatCredits(answer.credits),
    ]),
    [2, 3, 4, 5],
  );
  const reasons = answers
    .filter((answer) => answer.message)
    .map((answer) => `${answer.modelId}: ${answer.message}`);
  const lines = [table, ...(reasons.length ? ['', ...reasons] : []), ''];
  const { ending } = state;
  if (ending?.failure) lines.push(`The run failed: ${ending.failure}`);
  else if (ending) {
    const unit = ending.creditsCharged === 1 ? 'credit' : 'credits';
    lines.push(`Charged ${ending.creditsCharged} ${unit} · ${ending.creditsRemaining} left`);
  }
  if (state.conversationId !== null) {
    lines.push(
      `Conversation ${state.conversationId} (follow up with --conversation ${state.conversationId})`,
    );
  }
  return lines.join('\n');
}
