import type { AppLocation } from '../lib/router';

/** Every screen the app has, parsed from the URL. Mailed links land on verify-email and reset-password. */
export type Route =
  | { name: 'compare'; serverId: number | null; localId: string | null }
  | { name: 'signin'; next: string | null }
  | { name: 'signup' }
  | { name: 'verify-email'; token: string | null }
  | { name: 'forgot-password' }
  | { name: 'reset-password'; token: string | null }
  | { name: 'settings'; tab: 'preferences' | 'account' | 'usage' }
  | { name: 'admin'; tab: AdminTab }
  | { name: 'settings'; tab: 'preferences' | 'account' | 'usage' | 'billing' }
  | { name: 'pricing' }
  | { name: 'shared'; token: string }
  | { name: 'leaderboard' }
  | { name: 'not-found' };

export const ADMIN_TABS = ['users', 'audit', 'settings', 'models', 'analytics', 'jobs', 'shares'] as const;
export type AdminTab = (typeof ADMIN_TABS)[number];

export function matchRoute({ pathname, search }: AppLocation): Route {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/') return { name: 'compare', serverId: null, localId: null };
  const conversation = /^\/c\/(\d+)$/.exec(path);
  if (conversation?.[1]) return { name: 'compare', serverId: Number(conversation[1]), localId: null };
  const local = /^\/local\/([\w-]+)$/.exec(path);
  if (local?.[1]) return { name: 'compare', serverId: null, localId: local[1] };
  const shared = /^\/s\/([\w-]+)$/.exec(path);
  if (shared?.[1]) return { name: 'shared', token: shared[1] };
  const admin = /^\/admin(?:\/(\w+))?$/.exec(path);
  if (admin) {
    const tab = ADMIN_TABS.find((item) => item === (admin[1] ?? 'users'));
    if (tab) return { name: 'admin', tab };
  }
  switch (path) {
    case '/signin':
      return { name: 'signin', next: search.get('next') };
    case '/signup':
      return { name: 'signup' };
    case '/verify-email':
      return { name: 'verify-email', token: search.get('token') };
    case '/forgot-password':
      return { name: 'forgot-password' };
    case '/reset-password':
      return { name: 'reset-password', token: search.get('token') };
    case '/settings':
      return { name: 'settings', tab: 'preferences' };
    case '/settings/account':
      return { name: 'settings', tab: 'account' };
    case '/settings/usage':
      return { name: 'settings', tab: 'usage' };
    case '/settings/billing':
      return { name: 'settings', tab: 'billing' };
    case '/pricing':
      return { name: 'pricing' };
    case '/leaderboard':
      return { name: 'leaderboard' };
    default:
      return { name: 'not-found' };
  }
}

export function routeTitle(route: Route): string {
  switch (route.name) {
    case 'compare':
      return route.serverId || route.localId ? 'Conversation' : 'Compare';
    case 'signin':
      return 'Sign in';
    case 'signup':
      return 'Sign up';
    case 'verify-email':
      return 'Verify email';
    case 'forgot-password':
      return 'Forgot password';
    case 'reset-password':
      return 'Reset password';
    case 'settings':
      return 'Settings';
    case 'admin':
      return 'Staff console';
    case 'leaderboard':
      return 'Leaderboard';
    case 'pricing':
      return 'Plans';
    case 'shared':
      return 'Shared comparison';
    case 'not-found':
      return 'Not found';
  }
}
