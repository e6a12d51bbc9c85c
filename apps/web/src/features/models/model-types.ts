import type { inferOutput } from '@trpc/tanstack-react-query';
import type { trpc } from '../../lib/trpc';

/** `models.list` as the caller sees it: the tier's limit and each model, available or locked. */
export type ModelCatalogue = inferOutput<typeof trpc.models.list>;
export type CatalogueModel = ModelCatalogue['models'][number];
