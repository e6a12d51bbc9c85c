import { describe, expect, it } from 'vitest';
import { capText, decodeEntities, htmlToReadableText, snippetText } from './readable-text';

describe('htmlToReadableText', () => {
  it('decodes named and numeric entities, leaving unknown ones as written', () => {
    expect(decodeEntities('a &amp; b &lt;c&gt; &#233; &#x1F600; &eacute; &#0;')).toBe(
      'a & b <c> é 😀 &eacute; \uFFFD',
    );
  });

  it('drops an unclosed script and comment with everything after them', () => {
    expect(htmlToReadableText('<p>Kept</p><script>var x = "<p>not text</p>";').text).toBe('Kept');
    expect(htmlToReadableText('<p>Kept</p><!-- never closed <p>hidden</p>').text).toBe('Kept');
  });

  it('keeps a lone "<" as text and skips doctypes', () => {
    expect(htmlToReadableText('<!DOCTYPE html><p>1 < 2 and 3 > 2</p>').text).toBe('1 < 2 and 3 > 2');
  });

  it('treats a self-closed svg as empty rather than dropping the page after it', () => {
    expect(htmlToReadableText('<p>Before<svg/> after</p>').text).toBe('Before after');
  });

  it('ends the head where the body content starts, even without the tags', () => {
    const page = htmlToReadableText('<head><title>T</title><meta charset="utf-8"><p>Body text</p>');
    expect(page).toEqual({ title: 'T', text: 'Body text' });
  });

  it('puts table cells side by side and rows on lines', () => {
    expect(htmlToReadableText('<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>').text).toBe(
      'a b\nc',
    );
  });

  it('reads a megabyte of unclosed tags in linear time', () => {
    const started = performance.now();
    htmlToReadableText('<a <script <!-- '.repeat(70_000));
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe('snippetText and capText', () => {
  it("turns Brave's marked-up snippet into one line of text", () => {
    expect(snippetText('The <strong>Moon</strong>&#39;s pull\non the  tides')).toBe(
      "The Moon's pull on the tides",
    );
  });

  it('cuts at maxChars with an ellipsis, and leaves shorter text alone', () => {
    expect(capText('abcdef', 4)).toBe('abc…');
    expect(capText('abc', 4)).toBe('abc');
  });
});
