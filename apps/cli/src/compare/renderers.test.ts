import type { TCompareEvent } from '@compareintel/shared';
import { describe, expect, it } from 'vitest';
import { columnWidth, joinColumns, wrapText } from './layout';
import { ColumnsRenderer, SequentialRenderer } from './renderers';
import { RunState } from './run-state';

const EVENTS: TCompareEvent[] = [
  { type: 'started', conversationId: 7, runId: 'r', models: ['a/one', 'b/two'] },
  { type: 'delta', modelId: 'b/two', text: 'second model, ' },
  { type: 'delta', modelId: 'a/one', text: 'first model line one\nline two' },
  { type: 'delta', modelId: 'b/two', text: 'still second' },
  {
    type: 'modelDone',
    modelId: 'b/two',
    inputTokens: 3,
    outputTokens: 4,
    ttftMs: 120,
    durationMs: 300,
    credits: 0.25,
    costUsd: null,
    searches: 0,
  },
  { type: 'modelError', modelId: 'a/one', message: 'The provider answered with an error (HTTP 500).' },
  { type: 'done', creditsCharged: 1, creditsRemaining: 99 },
];

function play(renderer: ColumnsRenderer | SequentialRenderer): RunState {
  const state = new RunState(['a/one', 'b/two']);
  for (const event of EVENTS) {
    state.apply(event);
    renderer.onEvent(event, state);
  }
  renderer.finish(state);
  return state;
}

describe('layout', () => {
  it('wraps at spaces, keeps line breaks, and drops control characters', () => {
    expect(wrapText('one two three four', 9)).toEqual(['one two', 'three', 'four']);
    expect(wrapText('a\nb', 10)).toEqual(['a', 'b']);
    expect(wrapText('x'.repeat(12), 5)).toEqual(['xxxxx', 'xxxxx', 'xx']);
    expect(wrapText('\x1b[31mred\x1b[0m\tz', 20)).toEqual(['red  z']);
  });

  it('fits columns of at least 40 characters, else none', () => {
    expect(columnWidth(120, 2)).toBe(58);
    expect(columnWidth(120, 3)).toBe(0); // 37 each: too narrow
    expect(columnWidth(80, 1)).toBe(79);
    expect(joinColumns([['a'], ['b', 'c']], 3, 2)).toEqual(['a   │ b', '    │ c']);
  });
});

describe('renderers', () => {
  it('one after another: blocks in the order picked, whatever order the text came in', () => {
    let out = '';
    play(
      new SequentialRenderer(['a/one', 'b/two'], (text) => {
        out += text;
      }),
    );
    expect(out).toContain(
      '━━ a/one ━━\nfirst model line one\nline two\n[The provider answered with an error (HTTP 500).]\n\n━━ b/two ━━\nsecond model, still second\n',
    );
    expect(out).toMatch(/b\/two\s+done\s+120 ms\s+3\s+4\s+0\.25/);
    expect(out).toContain('Charged 1 credit · 99 left\nConversation 7');
  });

  it('side by side: the final frame puts the answers in columns under their model', () => {
    let out = '';
    play(
      new ColumnsRenderer(['a/one', 'b/two'], 40, 10, (text) => {
        out += text;
      }),
    );
    const lines = out.split('\n');
    const header = lines.find((line) => line.includes('a/one'));
    expect(header).toMatch(/a\/one\s+│ b\/two/);
    expect(lines).toContain(`${'first model line one'.padEnd(40)} │ second model, still second`);
    expect(lines).toContain(`${'line two'.padEnd(40)} │`);
    expect(out).toContain('Charged 1 credit');
  });
});
