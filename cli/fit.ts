/**
 * A plain table that fits a terminal width (80 columns unless told):
 * columns keep their natural width while the row fits, and the free-text
 * ones (target, error) give way first, cut with "…". `decorate` colours a
 * cell after it is padded, so escape codes never count as width.
 */

export interface FitOptions {
  readonly width: number;
  /** Indexes of the columns that may be cut, the first cut first. */
  readonly shrinkable: readonly number[];
  readonly decorate?: (column: number, padded: string) => string;
}

const GAP = '  ';
const MIN_WIDTH = 5;

export function cut(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

export function fitTable(
  head: readonly string[],
  rows: readonly (readonly string[])[],
  options: FitOptions,
): string[] {
  const widths = head.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const total = () => widths.reduce((sum, width) => sum + width, 0) + GAP.length * (widths.length - 1);
  for (const column of options.shrinkable) {
    const over = total() - options.width;
    if (over <= 0) break;
    // Never narrower than its title: a cut header reads as a typo.
    const floor = Math.min(widths[column] ?? 0, Math.max(MIN_WIDTH, (head[column] ?? '').length));
    widths[column] = Math.max(floor, (widths[column] ?? 0) - over);
  }
  const render = (row: readonly string[], header: boolean) =>
    row
      .map((cell, column) => {
        const width = widths[column] ?? 0;
        const padded = cut(cell, width).padEnd(width);
        return header || options.decorate === undefined ? padded : options.decorate(column, padded);
      })
      .join(GAP)
      .trimEnd();
  return [render(head, true), ...rows.map((row) => render(row, false))];
}
