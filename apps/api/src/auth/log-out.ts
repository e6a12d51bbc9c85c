import type { TAccepted } from '@compareintel/shared';
import type { AppContext } from '../context';
import { endSession } from './sessions';

/** Ends the caller's session (cookie or bearer) at once and clears the cookie; harmless when signed out. */
export async function logOut({
  db,
  session,
  cookies,
}: Pick<AppContext, 'db' | 'session' | 'cookies'>): Promise<TAccepted> {
  if (session) await endSession({ db }, session.id);
  cookies.clear();
  return { ok: true };
}
