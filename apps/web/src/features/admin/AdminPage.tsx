import { isStaffRole, type StaffPermission, staffPermissionsOf } from '@compareintel/shared';
import type { AdminTab } from '../../app/routes';
import { Callout } from '../../components/Callout';
import { PageLoading } from '../../components/Spinner';
import { Link } from '../../lib/router';
import { useSession } from '../auth/session';
import { AnalyticsPanel } from './AnalyticsPanel';
import { AuditPanel } from './AuditPanel';
import { JobsPanel } from './JobsPanel';
import { ModelsPanel } from './ModelsPanel';
import { SettingsPanel } from './SettingsPanel';
import { SharesPanel } from './SharesPanel';
import { UsersPanel } from './UsersPanel';
import './admin.css';

const TABS: Array<{ id: AdminTab; label: string; href: string; permission: StaffPermission }> = [
  { id: 'users', label: 'Users', href: '/admin', permission: 'users.read' },
  { id: 'audit', label: 'Audit log', href: '/admin/audit', permission: 'audit.read' },
  { id: 'analytics', label: 'Analytics', href: '/admin/analytics', permission: 'analytics.read' },
  { id: 'models', label: 'Models', href: '/admin/models', permission: 'models.write' },
  { id: 'settings', label: 'Settings', href: '/admin/settings', permission: 'settings.read' },
  { id: 'jobs', label: 'Jobs', href: '/admin/jobs', permission: 'settings.read' },
  { id: 'shares', label: 'Shared links', href: '/admin/shares', permission: 'content.moderate' },
];

/**
 * The staff console. Tabs follow the role's permissions (a narrowed account may still see a tab the
 * API then refuses, with its sentence); the API decides every call, this only hides what cannot work.
 */
export default function AdminPage({ tab }: { tab: AdminTab }) {
  const { user, isPending } = useSession();
  if (isPending) return <PageLoading label="Loading…" />;
  if (!user || !isStaffRole(user.role)) {
    return (
      <div className="page-narrow" data-testid="admin-refused">
        <Callout
          tone="warning"
          title="The staff console is for staff only"
          actions={
            user ? (
              <Link className="btn btn-primary btn-sm" href="/">
                Back to comparing
              </Link>
            ) : (
              <Link className="btn btn-primary btn-sm" href="/signin?next=/admin">
                Sign in
              </Link>
            )
          }
        >
          {user
            ? 'Your account has no staff role. Ask an administrator if you need access.'
            : 'Sign in with a staff account to open it.'}
        </Callout>
      </div>
    );
  }
  const permissions = staffPermissionsOf({ role: user.role });
  const tabs = TABS.filter((item) => permissions.includes(item.permission));
  const shown = tabs.find((item) => item.id === tab)?.id ?? tabs[0]?.id ?? 'users';
  return (
    <div className="admin-page">
      <h1>Staff console</h1>
      <nav className="tabs" aria-label="Staff console sections">
        {tabs.map((item) => (
          <Link
            key={item.id}
            href={item.href}
            className="tab"
            aria-current={item.id === shown ? 'page' : undefined}
          >
            {item.label}
          </Link>
        ))}
      </nav>
      <div className="admin-body">
        {shown === 'users' ? <UsersPanel me={user} /> : null}
        {shown === 'audit' ? <AuditPanel /> : null}
        {shown === 'analytics' ? <AnalyticsPanel /> : null}
        {shown === 'models' ? <ModelsPanel /> : null}
        {shown === 'settings' ? <SettingsPanel /> : null}
        {shown === 'shares' ? <SharesPanel /> : null}
        {shown === 'jobs' ? <JobsPanel canRun={user.role === 'super_admin'} /> : null}
      </div>
    </div>
  );
}
