import { hasPermission } from '@compareintel/shared';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Callout } from '../../components/Callout';
import { PageLoading } from '../../components/Spinner';
import { readError } from '../../lib/errors';
import { Link } from '../../lib/router';
import { trpc } from '../../lib/trpc';
import { useSession } from '../auth/session';
import { LeaderboardTable } from './LeaderboardTable';

/**
 * Ratings from blind votes (Bradley–Terry, on an Elo-like scale where 1000 is average): "Your models" from
 * your own votes, and for staff "Everyone", registered users' and visitors' votes apart.
 */
export default function LeaderboardPage() {
  const { user, isPending } = useSession();
  const staff = user !== null && hasPermission(user, 'analytics.read');
  const mine = useQuery(trpc.arena.leaderboard.queryOptions({ scope: 'mine' }, { enabled: user !== null }));
  const global = useQuery(trpc.arena.leaderboard.queryOptions({ scope: 'global' }, { enabled: staff }));
  const [tab, setTab] = useState<'registered' | 'anonymous'>('registered');

  if (isPending) return <PageLoading label="Loading…" />;
  if (!user) {
    return (
      <div className="page-narrow">
        <Callout
          tone="info"
          title="Your leaderboard needs an account"
          actions={
            <Link className="btn btn-primary btn-sm" href="/signup">
              Sign up free
            </Link>
          }
        >
          Blind comparisons rank the models by your own votes once you are signed in.
        </Callout>
      </div>
    );
  }
  return (
    <div className="page leaderboard-page">
      <h1>Leaderboard</h1>
      <p className="muted">
        Ratings from blind votes (Bradley–Terry; 1000 is an average model, +400 means 10:1 odds). The interval
        narrows as votes add up.
      </p>
      <section aria-labelledby="board-mine">
        <h2 id="board-mine">Your models</h2>
        {mine.isPending ? <PageLoading label="Loading your leaderboard…" /> : null}
        {mine.error ? <Callout tone="error">{readError(mine.error).message}</Callout> : null}
        {mine.data?.scope === 'mine' ? (
          <LeaderboardTable board={mine.data.mine} caption="Your votes" />
        ) : null}
      </section>
      {staff ? (
        <section aria-labelledby="board-everyone">
          <h2 id="board-everyone">Everyone</h2>
          <div className="segmented" role="tablist" aria-label="Whose votes">
            {(['registered', 'anonymous'] as const).map((key) => (
              <button
                key={key}
                type="button"
                role="tab"
                aria-selected={tab === key}
                className={`btn btn-sm ${tab === key ? 'btn-primary' : 'btn-ghost'}`}
                onClick={() => setTab(key)}
              >
                {key === 'registered' ? 'Registered users' : 'Visitors'}
              </button>
            ))}
          </div>
          {global.error ? <Callout tone="error">{readError(global.error).message}</Callout> : null}
          {global.data?.scope === 'global' ? (
            <LeaderboardTable
              board={tab === 'registered' ? global.data.registered : global.data.anonymous}
              caption={tab === 'registered' ? 'Registered users' : 'Visitors (rate-limited)'}
            />
          ) : null}
        </section>
      ) : null}
    </div>
  );
}
