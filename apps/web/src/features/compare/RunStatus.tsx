import { Spinner } from '../../components/Spinner';
import { useRunSummary } from './comparison-run';
import type { RunStore } from './run-store';

/**
 * A small pill over the cards while the run has something to say that is no card's own: the
 * connection is being restored, or a stop of every model did not take. It floats, so it moves nothing.
 */
export function RunStatus({ store }: { store: RunStore | null }) {
  const summary = useRunSummary(store);
  const reconnecting = summary?.reconnecting === true && summary.phase === 'streaming';
  const notice = summary?.notice ?? null;
  if (!reconnecting && !notice) return null;
  return (
    <div className="run-status-anchor">
      <p className="run-status" role="status" data-testid="run-status">
        {reconnecting ? (
          <>
            <Spinner label="Reconnecting" />
            Reconnecting… the answers go on where they left off.
          </>
        ) : (
          notice
        )}
      </p>
    </div>
  );
}
