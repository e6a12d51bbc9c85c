import { Icon } from '../../components/Icon';
import { Link } from '../../lib/router';
import { ExportMenu } from '../conversations/ExportMenu';
import { ShareButton } from '../shares/ShareDialog';
import { type ConversationView, viewTitle } from './conversation-view';
import { formatUsd, totalCostUsd } from './metrics';
import type { CardModel } from './ResultCard';

export function ConversationHeader({
  view,
  models,
  title,
  parentDeleted,
}: {
  view: ConversationView;
  models: readonly CardModel[];
  title: string | null;
  /** A breakout whose original comparison was deleted: said so, instead of a link to nowhere. */
  parentDeleted: boolean;
}) {
  const breakoutModel = models.find((model) => model.id === view.breakoutModelId);
  // What the providers reported for every answer shown (those that report no cost add nothing).
  const costUsd = totalCostUsd(view.turns.flatMap((turn) => Object.values(turn.answers)));
  return (
    <div className="conversation-head">
      <div className="conversation-head-text">
        <h1 className="conversation-title">{title ?? viewTitle(view)}</h1>
        <p className="muted conversation-sub">
          {view.type === 'breakout' ? (
            <>
              <span className="badge badge-accent">
                <Icon name="branch" size={12} /> Continued with {breakoutModel?.name ?? view.breakoutModelId}
              </span>{' '}
              {parentDeleted || view.parentConversationId === null ? (
                <span data-testid="parent-deleted">The original comparison was deleted.</span>
              ) : (
                <Link href={`/c/${view.parentConversationId}`}>from the original comparison</Link>
              )}
            </>
          ) : (
            `${models.length} model${models.length === 1 ? '' : 's'} · ${view.turns.length} turn${view.turns.length === 1 ? '' : 's'}`
          )}
          {costUsd !== null ? (
            <span title="What the providers reported for these answers (USD)" data-testid="conversation-cost">
              {` · ${formatUsd(costUsd)}`}
            </span>
          ) : null}
          {view.localId !== null ? ' · kept in this browser' : null}
        </p>
      </div>
      <div className="conversation-actions">
        {/* Saved conversations only: a visitor's live in their browser, with nothing to link to. */}
        {view.serverId !== null ? (
          <>
            <ShareButton conversationId={view.serverId} />
            <ExportMenu conversationId={view.serverId} />
          </>
        ) : null}
        <Link className="btn btn-secondary btn-sm" href="/">
          <Icon name="plus" size={14} />
          New comparison
        </Link>
      </div>
    </div>
  );
}
