import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ConversationHeader } from './ConversationHeader';
import { type ConversationView, emptyView } from './conversation-view';

afterEach(cleanup);

const B = 'anthropic/claude-haiku-4.5';
const models = [{ id: B, name: 'Claude Haiku 4.5', provider: 'anthropic' }];

function breakout(parentConversationId: number | null): ConversationView {
  return {
    ...emptyView([B]),
    serverId: 9,
    type: 'breakout',
    title: 'Claude Haiku 4.5 · Moon',
    breakoutModelId: B,
    parentConversationId,
    turns: [{ prompt: 'Moon?', answers: {} }],
  };
}

describe('ConversationHeader of a breakout', () => {
  it('links to the original comparison while it exists', () => {
    render(<ConversationHeader view={breakout(4)} models={models} title={null} parentDeleted={false} />);
    expect(screen.getByRole('heading').textContent).toBe('Claude Haiku 4.5 · Moon');
    expect(screen.getByRole('link', { name: 'from the original comparison' }).getAttribute('href')).toBe(
      '/c/4',
    );
    expect(screen.queryByTestId('parent-deleted')).toBeNull();
  });

  it('says the original was deleted instead of a dead link (link cleared by the database)', () => {
    render(<ConversationHeader view={breakout(null)} models={models} title={null} parentDeleted={false} />);
    expect(screen.getByTestId('parent-deleted').textContent).toBe('The original comparison was deleted.');
    expect(screen.queryByRole('link', { name: /original/ })).toBeNull();
  });

  it('says so too when the parent is gone from the saved list since this view was loaded', () => {
    render(<ConversationHeader view={breakout(4)} models={models} title={null} parentDeleted />);
    expect(screen.getByTestId('parent-deleted')).toBeTruthy();
    expect(screen.queryByRole('link', { name: /original/ })).toBeNull();
  });
});

describe('ConversationHeader actions', () => {
  it('offers Share and Export for a saved conversation only', () => {
    const saved: ConversationView = { ...breakout(4), type: 'comparison' };
    render(<ConversationHeader view={saved} models={models} title={null} parentDeleted={false} />);
    expect(screen.getByRole('button', { name: 'Share' })).toBeTruthy();
    expect(screen.getByTestId('export-menu')).toBeTruthy();
    cleanup();
    const local: ConversationView = { ...saved, serverId: null, localId: 'local-1' };
    render(<ConversationHeader view={local} models={models} title={null} parentDeleted={false} />);
    expect(screen.queryByRole('button', { name: 'Share' })).toBeNull();
    expect(screen.queryByTestId('export-menu')).toBeNull();
  });
});
