import { MAX_PROMPT_CHARS } from '@compareintel/shared';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { readError } from '../../lib/errors';
import { formatInteger } from '../../lib/format';
import { trpc } from '../../lib/trpc';
import { useDebouncedValue } from '../../lib/use-debounced-value';
import { setAnonymousCreditsRemaining } from '../credits/anonymous-credits';

/** What the next run would cost (compare.estimate), asked for once typing pauses. */
export function CreditEstimate({
  models,
  prompt,
  conversationId,
  fingerprint,
  signedIn,
  webSearch = false,
}: {
  models: readonly string[];
  prompt: string;
  conversationId: number | null;
  fingerprint: string | undefined;
  signedIn: boolean;
  /** The run would search the web: the estimate includes the searches it may make. */
  webSearch?: boolean;
}) {
  const trimmed = prompt.trim();
  const input = useDebouncedValue(
    {
      models: [...models],
      prompt: trimmed,
      ...(conversationId ? { conversationId } : {}),
      ...(signedIn || !fingerprint ? {} : { fingerprint }),
      ...(webSearch ? { webSearch: true } : {}),
    },
    450,
  );
  const enabled =
    input.models.length > 0 && input.prompt.length > 0 && input.prompt.length <= MAX_PROMPT_CHARS;
  const estimate = useQuery(
    trpc.compare.estimate.queryOptions(input, { enabled, placeholderData: keepPreviousData, retry: false }),
  );

  useEffect(() => {
    if (!signedIn && estimate.data) setAnonymousCreditsRemaining(estimate.data.creditsRemaining);
  }, [signedIn, estimate.data]);

  if (!enabled || (!estimate.data && !estimate.error)) {
    return <span className="estimate muted">Credits are estimated as you type</span>;
  }
  if (estimate.error) {
    return (
      <span className="estimate estimate-warning" role="status">
        {readError(estimate.error).message}
      </span>
    );
  }
  const data = estimate.data;
  if (!data) return null;
  const left = Math.max(0, data.creditsRemaining);
  return (
    <span
      className={`estimate${data.canAfford ? '' : ' estimate-warning'}`}
      role="status"
      data-testid="estimate"
    >
      ≈ {formatInteger(data.credits)} credit{data.credits === 1 ? '' : 's'} · {formatInteger(left)} left
      {data.canAfford ? null : ' — not enough for this comparison'}
    </span>
  );
}
