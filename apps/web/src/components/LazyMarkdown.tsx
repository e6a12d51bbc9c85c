import type { TSource } from '@compareintel/shared';
import { lazy, Suspense } from 'react';

const loadMarkdown = () => import('./Markdown');
const Markdown = lazy(loadMarkdown);

/** Start fetching the markdown renderer early (idle time after the first paint). */
export function preloadMarkdown(): void {
  void loadMarkdown();
}

/** Markdown that shows the plain text until the renderer has loaded, so nothing waits on it. */
export function LazyMarkdown({
  text,
  streaming = false,
  sources,
}: {
  text: string;
  streaming?: boolean;
  sources?: readonly TSource[] | undefined;
}) {
  return (
    <Suspense fallback={<div className="markdown markdown-plain">{text}</div>}>
      <Markdown text={text} streaming={streaming} sources={sources} />
    </Suspense>
  );
}
