import { useState } from 'react';
import { Callout } from '../../components/Callout';
import { formatDateTime, formatInteger } from '../../lib/format';
import { Link } from '../../lib/router';
import { useSession } from '../auth/session';
import { usePreferences, useTimeZone } from '../preferences/use-preferences';
import { usageLevel } from './credit-levels';

/** In-app usage alerts at 80 % and 100 % of the pool, for users who keep "usage alerts" on. */
export function UsageBanner() {
  const timeZone = useTimeZone();
  const { user } = useSession();
  const preferences = usePreferences();
  const [dismissed, setDismissed] = useState<string | null>(null);
  if (!user || preferences.data?.usageAlerts === false) return null;
  const { used, allocated, remaining, resetsAt } = user.credits;
  const level = usageLevel(used, allocated);
  if (level === 'ok' || dismissed === level) return null;
  const refill = resetsAt ? ` Your credits refill ${formatDateTime(resetsAt, timeZone, true)}.` : '';
  return (
    <div className="banner-row">
      <Callout
        tone={level === 'exhausted' ? 'error' : 'warning'}
        testId="usage-banner"
        title={
          level === 'exhausted'
            ? 'You have used all your credits'
            : `You have used ${Math.floor((used / allocated) * 100)} % of your credits`
        }
        onDismiss={() => setDismissed(level)}
        actions={
          <>
            <Link className="btn btn-primary btn-sm" href="/pricing">
              Upgrade
            </Link>
            <Link className="btn btn-secondary btn-sm" href="/settings/usage">
              See usage
            </Link>
          </>
        }
      >
        {level === 'exhausted'
          ? `New comparisons will be refused until the pool refills.${refill}`
          : `${formatInteger(Math.max(0, remaining))} of ${formatInteger(allocated)} credits left.${refill}`}
      </Callout>
    </div>
  );
}
