import type { Key } from 'ink';
import { useState } from 'react';

export interface Viewport {
  /** First line shown. */
  top: number;
  /** Lines shown: never more than the content has. */
  view: number;
  total: number;
  scrollTo(line: number): void;
  /** The scroll keys every screen shares: ↑↓ j k, PgUp PgDn Space, g G Home End. True when handled. */
  keys(input: string, key: Key): boolean;
}

/** A window of `view` lines onto `total` lines that scrolls and always stays in range. */
export function useViewport(total: number, room: number): Viewport {
  const view = Math.max(0, Math.min(total, room));
  const last = Math.max(0, total - view);
  const [top, setTop] = useState(0);
  // Functional updates: keys can arrive faster than the handler is re-bound to the new position.
  const scrollBy = (delta: number) => setTop((t) => Math.min(last, Math.max(0, Math.min(t, last) + delta)));
  const scrollTo = (line: number) => setTop(Math.min(last, Math.max(0, line)));
  const page = Math.max(1, view - 1);
  return {
    top: Math.min(top, last),
    view,
    total,
    scrollTo,
    keys(input, key) {
      if (key.downArrow || input === 'j') scrollBy(1);
      else if (key.upArrow || input === 'k') scrollBy(-1);
      else if (key.pageDown || input === ' ') scrollBy(page);
      else if (key.pageUp) scrollBy(-page);
      else if (input === 'g' || key.home) scrollTo(0);
      else if (input === 'G' || key.end) scrollTo(last);
      else return false;
      return true;
    },
  };
}

/** "lines 6–12 of 25", or '' when everything is shown (never a range like "6–5"). */
export function position(viewport: Pick<Viewport, 'top' | 'view' | 'total'>, what = 'lines'): string {
  const { top, view, total } = viewport;
  if (view >= total || view === 0) return '';
  if (view === 1) return `${what.replace(/s$/, '')} ${top + 1} of ${total}`;
  return `${what} ${top + 1}–${top + view} of ${total}`;
}
