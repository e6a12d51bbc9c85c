import { z } from 'zod';
import { MAX_ID } from '../limits';

/**
 * A row id a client names: a positive whole number no larger than the database's integer. Past it, no
 * row can exist, so it is refused up front (PostgreSQL would fail the query instead of finding nothing).
 */
export const ZId = z
  .number()
  .int('Must be a whole number')
  .positive('Must be a positive id')
  .max(MAX_ID, 'No such id');

/** Text stored in the database: PostgreSQL refuses the NUL character, so it is refused before anything runs. */
export function withoutNul<T extends z.ZodType<string>>(schema: T) {
  return schema.refine((text) => !text.includes('\u0000'), { message: 'Must not contain NUL characters' });
}
