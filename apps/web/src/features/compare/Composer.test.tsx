import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Composer, runOptionFields } from './Composer';
import { useRunOptions, WEB_SEARCH_CHOICE_KEY } from './run-options';

/** The composer as the compare page wires it: options remembered, and what a run would be sent with. */
function Harness({ available }: { available: boolean }) {
  const { options, effective, setOptions } = useRunOptions(available);
  return (
    <>
      <Composer
        variant="start"
        value="Latest Rust release?"
        onChange={() => {}}
        onSubmit={() => {}}
        running={false}
        onStopAll={() => {}}
        blockedReason={null}
        estimate={null}
        options={options}
        onOptionsChange={setOptions}
        placeholder="Ask"
        webSearchAvailable={available}
      />
      <output data-testid="sent">{JSON.stringify(runOptionFields(effective))}</output>
    </>
  );
}

const sent = () => JSON.parse(screen.getByTestId('sent').textContent ?? '{}');

beforeEach(() => window.localStorage.clear());
afterEach(cleanup);

describe('Composer: web search switch', () => {
  it('is not offered while web search is off for the app', () => {
    window.localStorage.setItem(WEB_SEARCH_CHOICE_KEY, 'true');
    render(<Harness available={false} />);
    expect(screen.queryByRole('switch', { name: 'Web search' })).toBeNull();
    // A choice remembered from before is not sent while staff keep search off.
    expect(sent()).toEqual({});
  });

  it('sends webSearch once switched on, and remembers the choice in this browser', () => {
    render(<Harness available />);
    const toggle = screen.getByRole<HTMLInputElement>('switch', { name: 'Web search' });
    expect(toggle.checked).toBe(false);
    expect(sent()).toEqual({});
    fireEvent.click(toggle);
    expect(toggle.checked).toBe(true);
    expect(sent()).toEqual({ webSearch: true });
    expect(window.localStorage.getItem(WEB_SEARCH_CHOICE_KEY)).toBe('true');
    cleanup();
    render(<Harness available />);
    expect(screen.getByRole<HTMLInputElement>('switch', { name: 'Web search' }).checked).toBe(true);
    fireEvent.click(screen.getByRole('switch', { name: 'Web search' }));
    expect(sent()).toEqual({});
    expect(window.localStorage.getItem(WEB_SEARCH_CHOICE_KEY)).toBe('false');
  });
});

describe('runOptionFields', () => {
  it('leaves unset options out and sends the set ones', () => {
    expect(
      runOptionFields({ temperature: null, systemPrompt: '  ', webSearch: false, blind: false }),
    ).toEqual({});
    expect(
      runOptionFields({ temperature: 0.3, systemPrompt: ' Be brief ', webSearch: true, blind: false }),
    ).toEqual({
      temperature: 0.3,
      systemPrompt: 'Be brief',
      webSearch: true,
    });
  });
});
