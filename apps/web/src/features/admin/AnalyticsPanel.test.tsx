import type { TAnalyticsTotals } from '@compareintel/shared';
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { AnalyticsFigures } from './AnalyticsPanel';

afterEach(cleanup);

const totals: TAnalyticsTotals = {
  comparisons: 40,
  modelsRequested: 120,
  modelsSuccessful: 118,
  modelsFailed: 2,
  inputTokens: 10_000,
  outputTokens: 30_000,
  effectiveTokens: 70_000,
  credits: 512.4,
  actualCost: 1.25,
  estimatedCost: 1.4,
  activeUsers: 9,
  anonymousShare: 0.25,
  searches: 1234,
};

function figure(label: string): string | null {
  const term = screen.getByText(label, { selector: 'dt' });
  return term.nextElementSibling?.textContent ?? null;
}

describe('AnalyticsFigures', () => {
  it('shows how many web searches models made', () => {
    render(<AnalyticsFigures totals={totals} />);
    expect(figure('Searches')).toBe('1,234');
  });

  it('shows a dash where the period keeps no search count (monthly aggregates only)', () => {
    render(<AnalyticsFigures totals={{ ...totals, searches: null }} />);
    expect(figure('Searches')).toBe('—');
  });
});
