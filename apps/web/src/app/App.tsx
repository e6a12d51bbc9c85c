import { lazy, Suspense, useEffect, useState } from 'react';
import { Callout } from '../components/Callout';
import { preloadMarkdown } from '../components/LazyMarkdown';
import { PageLoading } from '../components/Spinner';
import { ForgotPasswordPage, ResetPasswordPage } from '../features/auth/PasswordResetPages';
import { SignInPage } from '../features/auth/SignInPage';
import { SignUpPage } from '../features/auth/SignUpPage';
import { VerifyBanner } from '../features/auth/VerifyBanner';
import { VerifyEmailPage } from '../features/auth/VerifyEmailPage';
import { ComparePage } from '../features/compare/ComparePage';
import { HistorySidebar } from '../features/conversations/HistorySidebar';
import { ImportOffer } from '../features/conversations/ImportOffer';
import { UsageBanner } from '../features/credits/UsageBanner';
import { useSavedThemeSync } from '../features/preferences/use-theme-choice';
import { SharedPage } from '../features/shares/SharedPage';
import { Link, useLocation } from '../lib/router';
import { DrawerLinks } from './DrawerLinks';
import { Header } from './Header';
import { matchRoute, type Route, routeTitle } from './routes';

const SettingsPage = lazy(() => import('../features/preferences/SettingsPage'));
// The staff console (tables, charts) is loaded only when a staff member opens it.
const AdminPage = lazy(() => import('../features/admin/AdminPage'));
const PricingPage = lazy(() => import('../features/billing/PricingPage'));
const LeaderboardPage = lazy(() => import('../features/arena/LeaderboardPage'));

function Screen({ route }: { route: Route }) {
  switch (route.name) {
    case 'compare':
      return <ComparePage route={route} />;
    case 'signin':
      return <SignInPage next={route.next} />;
    case 'signup':
      return <SignUpPage />;
    case 'verify-email':
      return <VerifyEmailPage token={route.token} />;
    case 'forgot-password':
      return <ForgotPasswordPage />;
    case 'reset-password':
      return <ResetPasswordPage token={route.token} />;
    case 'settings':
      return (
        <Suspense fallback={<PageLoading label="Loading settings…" />}>
          <SettingsPage tab={route.tab} />
        </Suspense>
      );
    case 'admin':
      return (
        <Suspense fallback={<PageLoading label="Loading the staff console…" />}>
          <AdminPage tab={route.tab} />
        </Suspense>
      );
    case 'pricing':
      return (
        <Suspense fallback={<PageLoading label="Loading plans…" />}>
          <PricingPage />
        </Suspense>
      );
    case 'shared':
      return <SharedPage token={route.token} />;
    case 'leaderboard':
      return (
        <Suspense fallback={<PageLoading label="Loading the leaderboard…" />}>
          <LeaderboardPage />
        </Suspense>
      );
    case 'not-found':
      return (
        <div className="page-narrow">
          <Callout
            tone="info"
            title="There is nothing at this address"
            actions={
              <Link className="btn btn-primary btn-sm" href="/">
                Start a comparison
              </Link>
            }
          />
        </div>
      );
  }
}

/** The shell: header, history sidebar (a drawer on phones) and the current screen. */
export function App() {
  const location = useLocation();
  const route = matchRoute(location);
  const withSidebar = route.name === 'compare' || route.name === 'settings';
  const [drawerOpen, setDrawerOpen] = useState(false);
  useSavedThemeSync();

  useEffect(() => {
    // A shared page names itself (its conversation's title, as the server's <title> did).
    if (route.name !== 'shared') document.title = `${routeTitle(route)} · CompareIntel`;
  });
  useEffect(() => {
    const idle = window.requestIdleCallback ?? ((callback: () => void) => window.setTimeout(callback, 200));
    idle(() => preloadMarkdown());
  }, []);
  // Moving to another screen closes the drawer.
  // biome-ignore lint/correctness/useExhaustiveDependencies: run on every navigation
  useEffect(() => setDrawerOpen(false), [location]);

  return (
    <div className={`app${withSidebar ? ' has-sidebar' : ''}${drawerOpen ? ' drawer-open' : ''}`}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Header
        onToggleSidebar={withSidebar ? () => setDrawerOpen((open) => !open) : null}
        sidebarOpen={drawerOpen}
      />
      {withSidebar ? (
        <>
          <aside id="sidebar" className="app-sidebar">
            <DrawerLinks />
            <HistorySidebar onNavigate={() => setDrawerOpen(false)} />
          </aside>
          {drawerOpen ? (
            <button
              type="button"
              className="scrim"
              aria-label="Close history"
              onClick={() => setDrawerOpen(false)}
            />
          ) : null}
        </>
      ) : null}
      <main id="main" className="app-main" tabIndex={-1}>
        <VerifyBanner />
        <ImportOffer />
        {route.name === 'shared' ? null : <UsageBanner />}
        <Screen route={route} />
      </main>
    </div>
  );
}
