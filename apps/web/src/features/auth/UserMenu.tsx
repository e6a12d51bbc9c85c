import { isStaffRole, TIERS } from '@compareintel/shared';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Icon } from '../../components/Icon';
import { Link, navigate } from '../../lib/router';
import { trpc } from '../../lib/trpc';
import { refreshAfterAuthChange, useSession } from './session';

/** The signed-in user's menu in the header (email, plan, settings, sign out), or sign-in links. */
export function UserMenu() {
  const { user, isPending } = useSession();
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const logout = useMutation(
    trpc.auth.logout.mutationOptions({
      onSettled: async () => {
        setOpen(false);
        navigate('/');
        await refreshAfterAuthChange();
      },
    }),
  );

  useEffect(() => {
    if (!open) return;
    const close = (event: Event) => {
      if (event instanceof KeyboardEvent && event.key !== 'Escape') return;
      if (
        event instanceof MouseEvent &&
        root.current?.contains(event.target instanceof Node ? event.target : null)
      )
        return;
      setOpen(false);
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', close);
    };
  }, [open]);

  if (isPending) return <span className="user-placeholder" />;
  if (!user) {
    return (
      <div className="header-auth">
        <Link className="btn btn-ghost btn-sm" href="/signin">
          Sign in
        </Link>
        <Link className="btn btn-primary btn-sm" href="/signup">
          Sign up<span className="wide-only"> free</span>
        </Link>
      </div>
    );
  }
  const tierLabel = user.isVerified ? TIERS[user.tier].label : 'Unverified';
  return (
    <div className="user-menu" ref={root}>
      <button
        type="button"
        className="user-button"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen((value) => !value)}
        data-testid="user-menu"
      >
        <span className="user-initial" aria-hidden="true">
          {user.email[0]?.toUpperCase()}
        </span>
        <span className="user-email">{user.email}</span>
        <span className={`tier-badge tier-${user.isVerified ? user.tier : 'unverified'}`}>{tierLabel}</span>
        <Icon name="chevronDown" size={14} />
      </button>
      {open ? (
        <div className="menu" role="menu">
          <p className="menu-label">
            Signed in as <strong>{user.email}</strong>
          </p>
          <Link role="menuitem" className="menu-item" href="/settings" onClick={() => setOpen(false)}>
            <Icon name="settings" size={16} /> Settings
          </Link>
          <Link role="menuitem" className="menu-item" href="/settings/usage" onClick={() => setOpen(false)}>
            <Icon name="info" size={16} /> Usage
          </Link>
          {isStaffRole(user.role) ? (
            <Link
              role="menuitem"
              className="menu-item"
              href="/admin"
              onClick={() => setOpen(false)}
              data-testid="menu-admin"
            >
              <Icon name="sliders" size={16} /> Staff console
            </Link>
          ) : null}
          <button
            type="button"
            role="menuitem"
            className="menu-item"
            onClick={() => logout.mutate()}
            disabled={logout.isPending}
          >
            <Icon name="logout" size={16} /> Sign out
          </button>
        </div>
      ) : null}
    </div>
  );
}
