import { QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { UserMenu } from '../features/auth/UserMenu';
import { queryClient, trpc } from '../lib/trpc';
import { DrawerLinks } from './DrawerLinks';

afterEach(() => {
  cleanup();
  queryClient.clear();
});

function renderSignedOut() {
  // A visitor: the session query answered "nobody".
  queryClient.setQueryData(trpc.auth.me.queryKey(), null);
  return render(
    <QueryClientProvider client={queryClient}>
      <header data-testid="header">
        <UserMenu />
      </header>
      <aside data-testid="drawer">
        <DrawerLinks />
      </aside>
    </QueryClientProvider>,
  );
}

describe('sign-in on phones', () => {
  it('a visitor has Sign in and Sign up in the header (the phone rules only shorten "Sign up free")', () => {
    renderSignedOut();
    const header = within(screen.getByTestId('header'));
    expect(header.getByRole('link', { name: 'Sign in' }).getAttribute('href')).toBe('/signin');
    const signUp = header.getByRole('link', { name: /^Sign up/ });
    expect(signUp.getAttribute('href')).toBe('/signup');
    // " free" is the part phones hide; "Sign up" itself always shows.
    expect(signUp.querySelector('.wide-only')?.textContent).toBe(' free');
  });

  it('the drawer offers Pricing and the sign-in links to a visitor', () => {
    renderSignedOut();
    const drawer = within(screen.getByTestId('drawer'));
    expect(drawer.getByRole('link', { name: 'Pricing' }).getAttribute('href')).toBe('/pricing');
    expect(drawer.getByRole('link', { name: 'Sign in' }).getAttribute('href')).toBe('/signin');
    expect(drawer.getByRole('link', { name: 'Sign up free' }).getAttribute('href')).toBe('/signup');
  });
});
