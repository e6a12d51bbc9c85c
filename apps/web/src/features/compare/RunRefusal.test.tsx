import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReadableError } from '../../lib/errors';
import { RunRefusal } from './RunRefusal';

afterEach(cleanup);

function refusal(overrides: Partial<ReadableError>): ReadableError {
  return {
    message: 'Refused.',
    code: 'BAD_REQUEST',
    fieldErrors: {},
    requiredTier: null,
    creditsRemaining: null,
    retryAfterSeconds: null,
    ...overrides,
  };
}

function withQueries(node: ReactNode) {
  return <QueryClientProvider client={new QueryClient()}>{node}</QueryClientProvider>;
}

describe('RunRefusal', () => {
  it('explains a lack of credits and offers a visitor the free account', () => {
    render(
      withQueries(
        <RunRefusal
          error={refusal({
            code: 'PAYMENT_REQUIRED',
            message: 'This comparison needs about 4 credits and you have 1 left.',
          })}
          user={null}
          onDismiss={() => {}}
        />,
      ),
    );
    expect(screen.getByText('Not enough credits for this comparison')).toBeTruthy();
    expect(screen.getByText(/needs about 4 credits/)).toBeTruthy();
    expect(
      screen.getByRole('link', { name: /Sign up free for 100 credits a day/ }).getAttribute('href'),
    ).toBe('/signup');
  });

  it('names the plan that opens a refused model, with its price from the tier table', () => {
    render(
      withQueries(
        <RunRefusal
          error={refusal({
            code: 'FORBIDDEN',
            requiredTier: 'pro',
            message: 'Your plan compares up to 6 models at once.',
          })}
          user={null}
          onDismiss={() => {}}
        />,
      ),
    );
    expect(screen.getByText('Needs the Pro plan')).toBeTruthy();
    expect(screen.getByText(/Pro costs \$39\/month and compares up to 9 models/)).toBeTruthy();
  });

  it('sends a visitor to sign up for models of the free tier', () => {
    render(
      withQueries(
        <RunRefusal
          error={refusal({ code: 'FORBIDDEN', requiredTier: 'free' })}
          user={null}
          onDismiss={() => {}}
        />,
      ),
    );
    expect(screen.getByText('Sign up to use this')).toBeTruthy();
  });
});
