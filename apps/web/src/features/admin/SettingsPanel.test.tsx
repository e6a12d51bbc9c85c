import type { TAdminSettings, TSearchConnectionTest } from '@compareintel/shared';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { trpc } from '../../lib/trpc';
import { SettingsPanel } from './SettingsPanel';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const settings: TAdminSettings = {
  anonymousMockMode: false,
  webSearchEnabled: true,
  activeProvider: 'brave',
  providerConfig: { apiKey: '••••1234', count: 5 },
  hasApiKey: true,
  updatedAt: '2026-12-01T10:00:00.000Z',
};

/** The API as the browser reaches it: one tRPC batch answer to whatever the panel sends. */
function answerConnectionTest(outcome: TSearchConnectionTest) {
  const fetch = vi.fn(async (_url: string | URL | Request, _init?: RequestInit) =>
    Response.json([{ result: { data: outcome } }]),
  );
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

function panel(current: TAdminSettings = settings) {
  const client = new QueryClient({ defaultOptions: { queries: { staleTime: Number.POSITIVE_INFINITY } } });
  client.setQueryData(trpc.admin.settings.get.queryKey(), current);
  return render(
    <QueryClientProvider client={client}>
      <SettingsPanel />
    </QueryClientProvider>,
  );
}

describe('SettingsPanel: test connection', () => {
  it('runs admin.settings.testConnection and says how the provider answered', async () => {
    const fetch = answerConnectionTest({ ok: true, provider: 'brave', results: 3, ms: 412.4 });
    panel();
    fireEvent.click(screen.getByRole('button', { name: 'Test connection' }));
    expect((await screen.findByRole('status')).textContent).toBe('Connected to Brave: 3 results in 412 ms');
    expect(String(fetch.mock.calls[0]?.[0])).toContain('admin.settings.testConnection');
  });

  it('shows the provider’s refusal as the error sentence', async () => {
    answerConnectionTest({ ok: false, provider: 'brave', message: 'Brave refused the API key.' });
    panel();
    fireEvent.click(screen.getByRole('button', { name: 'Test connection' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Brave refused the API key.');
    expect(screen.queryByText(/Connected to/)).toBeNull();
  });

  it('cannot test before a provider is saved', () => {
    const fetch = answerConnectionTest({ ok: true, provider: 'brave', results: 1, ms: 1 });
    panel({ ...settings, activeProvider: null, hasApiKey: false, providerConfig: {} });
    const button = screen.getByRole<HTMLButtonElement>('button', { name: 'Test connection' });
    expect(button.disabled).toBe(true);
    fireEvent.click(button);
    expect(fetch).not.toHaveBeenCalled();
  });
});
