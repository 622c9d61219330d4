// Which rows of a huge grid are on screen. Browsers cap an element's height (about
// 33 million px in Chromium, less elsewhere), so past `maxHeight` the scroll range is
// compressed: the scroll fraction maps to a row fraction, and rows are drawn at their
// offset from the first visible row.

export interface WindowInput {
  scrollTop: number;
  viewportHeight: number;
  rowHeight: number;
  rowCount: number;
  /** Extra rows drawn above and below, so a fast scroll shows no gap. */
  overscan?: number;
  maxHeight?: number;
}

export interface RowWindow {
  /** Height of the scrolling content. */
  totalHeight: number;
  /** Rows to draw: [first, last). */
  first: number;
  last: number;
  /** Top of row `first` within the content, in px. */
  offsetTop: number;
}

export const MAX_SCROLL_HEIGHT = 8_000_000;

export function visibleWindow(w: WindowInput): RowWindow {
  const { viewportHeight, rowHeight, rowCount } = w;
  const overscan = w.overscan ?? 2;
  const maxHeight = w.maxHeight ?? MAX_SCROLL_HEIGHT;
  if (rowCount <= 0 || rowHeight <= 0) return { totalHeight: 0, first: 0, last: 0, offsetTop: 0 };
  const natural = rowCount * rowHeight;
  const totalHeight = Math.min(natural, maxHeight);
  const scrollTop = Math.max(0, Math.min(w.scrollTop, Math.max(0, totalHeight - viewportHeight)));
  // Row position (fractional) at the top of the viewport.
  let topRow: number;
  if (natural <= maxHeight) topRow = scrollTop / rowHeight;
  else {
    const scrollRange = Math.max(1, totalHeight - viewportHeight);
    const rowRange = Math.max(0, rowCount - viewportHeight / rowHeight);
    topRow = (scrollTop / scrollRange) * rowRange;
  }
  const visible = Math.ceil(viewportHeight / rowHeight) + 1;
  const first = Math.max(0, Math.floor(topRow) - overscan);
  const last = Math.min(rowCount, Math.floor(topRow) + visible + overscan);
  const offsetTop = scrollTop - (topRow - first) * rowHeight;
  return { totalHeight, first, last, offsetTop };
}

export function columnsFor(width: number, minCellWidth: number, gap: number): number {
  return Math.max(1, Math.floor((width + gap) / (minCellWidth + gap)));
}
