import type { TRevealedModels } from '@compareintel/shared';
import { useMutation } from '@tanstack/react-query';
import { readError } from '../../lib/errors';
import { queryClient, trpc } from '../../lib/trpc';
import type { BlindRunRef } from '../compare/conversation-view';
import { VotePanel } from './VotePanel';

/** The vote of a blind run, sent to `arena.vote`; `onRevealed` gets the models behind the labels. */
export function BlindVote({
  run,
  labels,
  onRevealed,
}: {
  run: BlindRunRef;
  labels: readonly string[];
  onRevealed: (revealed: TRevealedModels) => void;
}) {
  const vote = useMutation(
    trpc.arena.vote.mutationOptions({
      onSuccess: ({ revealed }) => {
        void queryClient.invalidateQueries({ queryKey: trpc.arena.leaderboard.pathKey() });
        onRevealed(revealed);
      },
    }),
  );
  return (
    <VotePanel
      labels={labels}
      busy={vote.isPending}
      error={vote.error ? readError(vote.error).message : null}
      onVote={({ outcome, ranking }) =>
        vote.mutate({
          runId: run.runId,
          ...(run.runSecret ? { runSecret: run.runSecret } : {}),
          outcome,
          ...(outcome === 'best' || outcome === 'ranking' ? { ranking } : {}),
        })
      }
    />
  );
}
