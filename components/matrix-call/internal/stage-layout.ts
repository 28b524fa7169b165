/**
 * The arithmetic of the call stage: how many columns a grid of equal tiles gets so that each tile
 * keeps its aspect ratio and is as large as the box allows (1, 2, 3, 4, 6, 9 and more reflow with the
 * box's shape), and where a self view in a corner goes after a drag.
 *
 * Never: touches the DOM; pure functions of numbers.
 */

export interface GridFit {
  readonly columns: number;
  readonly rows: number;
  /** Width of one tile in px (its height is width / aspect). */
  readonly tileWidth: number;
  /** The tiles do not fit the box at the minimum width: the box must scroll. */
  readonly scrolls: boolean;
}

/**
 * The column count that gives `count` tiles of aspect `aspect` the largest size inside a
 * `width` x `height` box with `gap` px between tiles. Never below `minTileWidth` while a narrower grid
 * fits it (a long list then scrolls instead of shrinking to stamps).
 */
export function fitGrid(
  count: number,
  width: number,
  height: number,
  aspect: number,
  gap: number,
  minTileWidth = 0,
): GridFit {
  const n = Math.max(1, Math.floor(count));
  let best: GridFit = { columns: 1, rows: n, tileWidth: Math.max(0, width), scrolls: false };
  let bestSize = -1;
  for (let columns = 1; columns <= n; columns++) {
    const rows = Math.ceil(n / columns);
    // Skip shapes that leave a whole column empty (5 tiles never get 4+1 columns of 2 rows and an empty one).
    if (Math.ceil(n / rows) < columns) continue;
    const byWidth = (width - gap * (columns - 1)) / columns;
    const byHeight = ((height - gap * (rows - 1)) / rows) * aspect;
    const tileWidth = Math.max(0, Math.min(byWidth, byHeight));
    if (tileWidth > bestSize + 0.5) {
      best = { columns, rows, tileWidth, scrolls: false };
      bestSize = tileWidth;
    }
  }
  if (best.tileWidth < minTileWidth) {
    // Too many for the box: as many columns of the minimum width as fit, and the stage scrolls.
    const columns = Math.max(1, Math.min(n, Math.floor((width + gap) / (minTileWidth + gap))));
    const tileWidth = Math.min(width, (width - gap * (columns - 1)) / columns);
    return {
      columns,
      rows: Math.ceil(n / columns),
      tileWidth: Math.max(0, tileWidth),
      scrolls: width > 0 && height > 0,
    };
  }
  return best;
}

export type Corner = 'top-start' | 'top-end' | 'bottom-start' | 'bottom-end';

/** The corner nearest to a point (x, y) in a box, in physical terms turned logical by `rtl`. */
export function nearestCorner(x: number, y: number, width: number, height: number, rtl = false): Corner {
  const vertical = y < height / 2 ? 'top' : 'bottom';
  const left = x < width / 2;
  const start = rtl ? !left : left;
  return `${vertical}-${start ? 'start' : 'end'}`;
}
