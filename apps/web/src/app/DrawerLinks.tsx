import { useSession } from '../features/auth/session';
import { Link } from '../lib/router';

/**
 * On phones the header has room for Sign in and Sign up only: Pricing (and the sign-in links again,
 * next to the history they would keep) live at the top of the history drawer. Hidden on wider screens.
 */
export function DrawerLinks() {
  const { user, isPending } = useSession();
  return (
    <nav className="drawer-links" aria-label="Account and plans">
      {!isPending && !user ? (
        <>
          <Link className="btn btn-primary btn-sm" href="/signup">
            Sign up free
          </Link>
          <Link className="btn btn-secondary btn-sm" href="/signin">
            Sign in
          </Link>
        </>
      ) : null}
      <Link className="btn btn-ghost btn-sm" href="/leaderboard">
        Leaderboard
      </Link>
      <Link className="btn btn-ghost btn-sm" href="/pricing">
        Pricing
      </Link>
    </nav>
  );
}
