import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { downloadFile } from '../../lib/download';
import { ExportMenuView } from './ExportMenu';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('ExportMenuView', () => {
  it('offers Markdown, JSON and HTML; one click asks for that format and closes the menu', () => {
    const onExport = vi.fn();
    render(<ExportMenuView busy={false} error={null} onExport={onExport} />);
    const menu = screen.getByTestId('export-menu') as HTMLDetailsElement;
    menu.open = true;
    const items = screen.getAllByRole('menuitem');
    expect(items.map((item) => item.textContent)).toEqual([
      'Markdown (.md)',
      'JSON (.json)',
      'HTML page (.html)',
    ]);
    fireEvent.click(screen.getByRole('menuitem', { name: 'JSON (.json)' }));
    expect(onExport).toHaveBeenCalledWith('json');
    expect(menu.open).toBe(false);
  });

  it('says when it is working or failed', () => {
    render(<ExportMenuView busy error="That conversation does not exist." onExport={() => {}} />);
    expect(screen.getByText('Exporting…')).toBeTruthy();
    for (const item of screen.getAllByRole('menuitem'))
      expect((item as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByRole('alert').textContent).toBe('That conversation does not exist.');
  });
});

describe('downloadFile', () => {
  it('saves the content through a Blob and a temporary <a download>', async () => {
    const blobs: Blob[] = [];
    URL.createObjectURL = vi.fn((blob: Blob) => {
      blobs.push(blob);
      return 'blob:export-1';
    });
    URL.revokeObjectURL = vi.fn();
    const clicked: Array<{ href: string; download: string; attached: boolean }> = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push({ href: this.href, download: this.download, attached: document.body.contains(this) });
    });
    downloadFile({ filename: 'compareintel-x-2026-12-03.md', mimeType: 'text/markdown', content: '# Hello' });
    expect(clicked).toEqual([
      { href: 'blob:export-1', download: 'compareintel-x-2026-12-03.md', attached: true },
    ]);
    const text = await new Promise<string>((resolve) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result));
      reader.readAsText(blobs[0] ?? new Blob());
    });
    expect(text).toBe('# Hello');
    expect(blobs[0]?.type).toBe('text/markdown');
    expect(document.querySelector('a[download]')).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(URL.revokeObjectURL).toHaveBeenCalledWith('blob:export-1');
  });
});
