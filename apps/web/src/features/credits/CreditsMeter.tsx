import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { formatDateTime, formatInteger } from '../../lib/format';
import { Link } from '../../lib/router';
import { trpc } from '../../lib/trpc';
import { useFingerprint } from '../../lib/use-fingerprint';
import { useSession } from '../auth/session';
import { useTimeZone } from '../preferences/use-preferences';
import { setAnonymousCreditsRemaining, useAnonymousCreditsRemaining } from './anonymous-credits';
import { usageLevel, usedShare } from './credit-levels';

function Meter({
  remaining,
  allocated,
  resetsAt,
}: {
  remaining: number;
  allocated: number;
  resetsAt: string | null;
}) {
  const timeZone = useTimeZone();
  const used = allocated - remaining;
  const level = usageLevel(used, allocated);
  const leftShare = 1 - usedShare(used, allocated);
  const label = `${formatInteger(Math.max(0, remaining))} of ${formatInteger(allocated)} credits left`;
  return (
    <div
      className={`meter meter-${level}`}
      title={resetsAt ? `${label} · refills ${formatDateTime(resetsAt, timeZone, true)}` : label}
    >
      <span className="meter-text" data-testid="credits-remaining">
        <strong>{formatInteger(Math.max(0, remaining))}</strong>
        <span className="muted"> / {formatInteger(allocated)}</span>
      </span>
      {/* biome-ignore lint/a11y/useSemanticElements: a styled bar; a native <meter> cannot be themed consistently */}
      <span
        className="meter-bar"
        role="meter"
        aria-label="Credits left"
        aria-valuemin={0}
        aria-valuemax={allocated}
        aria-valuenow={Math.max(0, remaining)}
        aria-valuetext={label}
      >
        <span className="meter-fill" style={{ width: `${leftShare * 100}%` }} />
      </span>
    </div>
  );
}

/**
 * Credits left in the pool, in the header; updates after each run (auth.me is refetched). A visitor sees
 * their daily pool from the first page view (`credits.visitorBalance`); estimates and runs update it.
 */
export function CreditsMeter() {
  const { user, isPending } = useSession();
  const fingerprint = useFingerprint();
  const visitor = useQuery(
    trpc.credits.visitorBalance.queryOptions({ fingerprint }, { enabled: !isPending && user === null }),
  );
  useEffect(() => {
    if (visitor.data) setAnonymousCreditsRemaining(visitor.data.remaining);
  }, [visitor.data]);
  const anonymousRemaining = useAnonymousCreditsRemaining();
  if (user) {
    return (
      <Link href="/settings/usage" className="meter-link" aria-label="Credits and usage">
        <Meter
          remaining={user.credits.remaining}
          allocated={user.credits.allocated}
          resetsAt={user.credits.resetsAt}
        />
      </Link>
    );
  }
  if (!visitor.data || anonymousRemaining === null) return null;
  return (
    <Meter
      remaining={anonymousRemaining}
      allocated={visitor.data.allocated}
      resetsAt={visitor.data.resetsAt}
    />
  );
}
