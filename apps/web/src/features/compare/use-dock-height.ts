import { useCallback, useRef } from 'react';

/**
 * Publishes the follow-up dock's height as `--dock-h` on the document: fixed-height columns (sync
 * scroll off) end above it, and focus moves keep clear of it (scroll-padding-bottom). Measured, not
 * guessed: the dock grows with a refusal, a long draft or the options panel. A callback ref, since the
 * dock appears only once a conversation has turns.
 */
export function useDockHeight() {
  const observer = useRef<ResizeObserver | null>(null);
  return useCallback((element: HTMLElement | null) => {
    const root = document.documentElement;
    observer.current?.disconnect();
    observer.current = null;
    if (!element) {
      root.style.removeProperty('--dock-h');
      return;
    }
    observer.current = new ResizeObserver(() => {
      root.style.setProperty('--dock-h', `${Math.ceil(element.getBoundingClientRect().height)}px`);
    });
    observer.current.observe(element);
  }, []);
}
