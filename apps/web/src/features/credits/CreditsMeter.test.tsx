import type { TPreferences, TPublicUser } from '@compareintel/shared';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { trpc } from '../../lib/trpc';
import { CreditsMeter } from './CreditsMeter';
import { UsageBanner } from './UsageBanner';

afterEach(cleanup);

const user: TPublicUser = {
  id: 7,
  email: 'ada@example.com',
  tier: 'free',
  limitsTier: 'free',
  role: 'user',
  isAdmin: false,
  isVerified: true,
  isActive: true,
  // The pool that started before the zone was chosen still refills at midnight UTC.
  credits: { allocated: 100, used: 85, remaining: 15, resetsAt: '2026-12-03T00:00:00.000Z', period: 'day' },
  createdAt: '2026-11-01T10:00:00.000Z',
};

function signedIn(timezone: string | null) {
  const client = new QueryClient({ defaultOptions: { queries: { staleTime: Number.POSITIVE_INFINITY } } });
  const preferences: TPreferences = {
    preferredModels: [],
    theme: 'light',
    emailNotifications: false,
    usageAlerts: true,
    timezone,
  };
  client.setQueryData(trpc.auth.me.queryKey(), user);
  client.setQueryData(trpc.preferences.get.queryKey(), preferences);
  return client;
}

describe('times follow the zone chosen in Settings, not the browser', () => {
  it('gives the refill time in Europe/Berlin, naming the zone', () => {
    render(
      <QueryClientProvider client={signedIn('Europe/Berlin')}>
        <CreditsMeter />
        <UsageBanner />
      </QueryClientProvider>,
    );
    expect(screen.getByTestId('credits-remaining').textContent).toBe('15 / 100');
    expect(document.querySelector('.meter')?.getAttribute('title')).toBe(
      '15 of 100 credits left · refills Dec 3, 1:00 AM GMT+1',
    );
    expect(screen.getByTestId('usage-banner').textContent).toContain(
      'Your credits refill Dec 3, 1:00 AM GMT+1.',
    );
  });

  it('and in New York when that is the chosen zone', () => {
    render(
      <QueryClientProvider client={signedIn('America/New_York')}>
        <CreditsMeter />
      </QueryClientProvider>,
    );
    expect(document.querySelector('.meter')?.getAttribute('title')).toBe(
      '15 of 100 credits left · refills Dec 2, 7:00 PM EST',
    );
  });
});
