import { TIERS } from '@compareintel/shared';
import { formatDateTime, formatInteger } from '../../lib/format';
import { Link } from '../../lib/router';
import { useSession } from '../auth/session';
import { useAnonymousCreditsRemaining } from './anonymous-credits';
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
  const used = allocated - remaining;
  const level = usageLevel(used, allocated);
  const leftShare = 1 - usedShare(used, allocated);
  const label = `${formatInteger(Math.max(0, remaining))} of ${formatInteger(allocated)} credits left`;
  return (
    <div
      className={`meter meter-${level}`}
      title={resetsAt ? `${label} · refills ${formatDateTime(resetsAt)}` : label}
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

/** Credits left in the pool, in the header; updates after each run (auth.me is refetched). */
export function CreditsMeter() {
  const { user } = useSession();
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
  if (anonymousRemaining === null) return null;
  return <Meter remaining={anonymousRemaining} allocated={TIERS.anonymous.credits} resetsAt={null} />;
}
