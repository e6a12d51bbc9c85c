import { Link } from '../../lib/router';
import { AccountSettings } from '../auth/AccountSettings';
import { useSession } from '../auth/session';
import { BillingSettings } from '../billing/BillingSettings';
import { UsageHistory } from '../credits/UsageHistory';
import { PreferencesSection } from './PreferencesSection';

export type SettingsTab = 'preferences' | 'account' | 'usage' | 'billing';

const TABS: Array<{ id: SettingsTab; label: string; href: string; signedInOnly: boolean }> = [
  { id: 'preferences', label: 'Preferences', href: '/settings', signedInOnly: false },
  { id: 'account', label: 'Account', href: '/settings/account', signedInOnly: true },
  { id: 'usage', label: 'Usage', href: '/settings/usage', signedInOnly: true },
  { id: 'billing', label: 'Billing', href: '/settings/billing', signedInOnly: true },
];

/** Settings: preferences, the account (password, deletion) and the credit history. Loaded lazily. */
export default function SettingsPage({ tab }: { tab: SettingsTab }) {
  const { user } = useSession();
  const tabs = TABS.filter((item) => user || !item.signedInOnly);
  const shown = user || tab === 'preferences' ? tab : 'preferences';
  return (
    <div className="settings-page">
      <h1>Settings</h1>
      <nav className="tabs" aria-label="Settings sections">
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
      <div className="settings-body">
        {shown === 'preferences' ? <PreferencesSection /> : null}
        {shown === 'account' ? <AccountSettings /> : null}
        {shown === 'usage' ? <UsageHistory /> : null}
        {shown === 'billing' ? <BillingSettings /> : null}
      </div>
    </div>
  );
}
