import { Icon } from '../components/Icon';
import { UserMenu } from '../features/auth/UserMenu';
import { CreditsMeter } from '../features/credits/CreditsMeter';
import { ThemeToggle } from '../features/preferences/ThemeToggle';
import { Link } from '../lib/router';

export function Header({
  onToggleSidebar,
  sidebarOpen,
}: {
  onToggleSidebar: (() => void) | null;
  sidebarOpen: boolean;
}) {
  return (
    <header className="app-header">
      {onToggleSidebar ? (
        <button
          type="button"
          className="icon-button sidebar-toggle"
          onClick={onToggleSidebar}
          aria-label={sidebarOpen ? 'Close history' : 'Open history'}
          aria-expanded={sidebarOpen}
          aria-controls="sidebar"
        >
          <Icon name="menu" />
        </button>
      ) : null}
      <Link href="/" className="brand" aria-label="CompareIntel home">
        <span className="brand-mark" aria-hidden="true">
          <span />
          <span />
          <span />
        </span>
        <span className="brand-name">CompareIntel</span>
      </Link>
      <div className="header-spacer" />
      <Link href="/leaderboard" className="header-link">
        Leaderboard
      </Link>
      <Link href="/pricing" className="header-link">
        Pricing
      </Link>
      <CreditsMeter />
      <ThemeToggle />
      <UserMenu />
    </header>
  );
}
