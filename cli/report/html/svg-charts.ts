import { escapeHtml } from './escape-html';

/**
 * Charts drawn on the server as inline SVG: no script, no library to bundle,
 * nothing fetched, sharp when printed, and each chart carries a title and a
 * description for screen readers (the page adds its numbers as a table).
 * Colours come from CSS classes so print and contrast rules live in one
 * stylesheet.
 */

export interface Series {
  readonly key: string;
  readonly label: string;
  /** CSS class that gives the fill (the page's stylesheet defines it). */
  readonly className: string;
}

export interface Category {
  readonly label: string;
  readonly values: Readonly<Record<string, number>>;
}

export interface ChartSpec {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly series: readonly Series[];
  readonly categories: readonly Category[];
}

const total = (category: Category, series: readonly Series[]): number =>
  series.reduce((sum, one) => sum + (category.values[one.key] ?? 0), 0);

function open(spec: ChartSpec, width: number, height: number): string {
  return (
    `<svg class="chart" id="${spec.id}" viewBox="0 0 ${width} ${height}" role="img" ` +
    `aria-labelledby="${spec.id}-title ${spec.id}-desc" preserveAspectRatio="xMinYMin meet">` +
    `<title id="${spec.id}-title">${escapeHtml(spec.title)}</title>` +
    `<desc id="${spec.id}-desc">${escapeHtml(spec.description)}</desc>`
  );
}

function emptyChart(spec: ChartSpec): string {
  return `${open(spec, 600, 60)}<text x="8" y="34" class="chart-note">No data yet</text></svg>`;
}

const BAR_HEIGHT = 22;
const BAR_GAP = 8;
const LABEL_WIDTH = 130;
const PLOT_WIDTH = 220;

/** One horizontal bar per category, its series stacked left to right, the total at its end. */
export function horizontalBars(spec: ChartSpec): string {
  if (spec.categories.length === 0) return emptyChart(spec);
  const max = Math.max(1, ...spec.categories.map((category) => total(category, spec.series)));
  const height = spec.categories.length * (BAR_HEIGHT + BAR_GAP) + BAR_GAP;
  const rows = spec.categories.map((category, index) => {
    const y = BAR_GAP + index * (BAR_HEIGHT + BAR_GAP);
    let x = LABEL_WIDTH;
    const segments = spec.series.map((one) => {
      const value = category.values[one.key] ?? 0;
      const width = (value / max) * PLOT_WIDTH;
      const rect =
        value === 0
          ? ''
          : `<rect class="${one.className}" x="${x.toFixed(1)}" y="${y}" width="${width.toFixed(1)}" height="${BAR_HEIGHT}"><title>${escapeHtml(`${category.label}: ${value} ${one.label.toLowerCase()}`)}</title></rect>`;
      x += width;
      return rect;
    });
    const label = category.label.length > 20 ? `${category.label.slice(0, 19)}…` : category.label;
    return (
      `<text class="chart-label" x="${LABEL_WIDTH - 6}" y="${y + 15}" text-anchor="end">${escapeHtml(label)}</text>` +
      segments.join('') +
      `<text class="chart-value" x="${(x + 4).toFixed(1)}" y="${y + 15}">${total(category, spec.series)}</text>`
    );
  });
  return `${open(spec, LABEL_WIDTH + PLOT_WIDTH + 40, height)}${rows.join('')}</svg>`;
}

const COLUMN_PLOT_HEIGHT = 180;
const AXIS_LEFT = 44;
const AXIS_BOTTOM = 40;

/** One column per category (a day), series stacked bottom up, with a labelled value axis. */
export function stackedColumns(spec: ChartSpec): string {
  if (spec.categories.length === 0) return emptyChart(spec);
  const max = Math.max(1, ...spec.categories.map((category) => total(category, spec.series)));
  const slot = Math.max(2, Math.min(40, 340 / spec.categories.length));
  const width = AXIS_LEFT + slot * spec.categories.length + 10;
  const height = COLUMN_PLOT_HEIGHT + AXIS_BOTTOM + 10;
  const base = COLUMN_PLOT_HEIGHT + 10;
  const ticks = [0, Math.round(max / 2), max]
    .map((tick) => {
      const y = base - (tick / max) * COLUMN_PLOT_HEIGHT;
      return `<line class="chart-grid" x1="${AXIS_LEFT}" x2="${width}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}"/><text class="chart-label" x="${AXIS_LEFT - 4}" y="${(y + 4).toFixed(1)}" text-anchor="end">${tick}</text>`;
    })
    .join('');
  // Label at most ~8 days so the axis stays readable at 10,000 accounts and a year of runs.
  const labelEvery = Math.max(1, Math.ceil(spec.categories.length / 8));
  const columns = spec.categories.map((category, index) => {
    const x = AXIS_LEFT + index * slot + slot * 0.1;
    let top = base;
    const segments = spec.series.map((one) => {
      const value = category.values[one.key] ?? 0;
      const h = (value / max) * COLUMN_PLOT_HEIGHT;
      top -= h;
      return value === 0
        ? ''
        : `<rect class="${one.className}" x="${x.toFixed(1)}" y="${top.toFixed(1)}" width="${(slot * 0.8).toFixed(1)}" height="${h.toFixed(1)}"><title>${escapeHtml(`${category.label}: ${value} ${one.label.toLowerCase()}`)}</title></rect>`;
    });
    const label =
      index % labelEvery === 0
        ? `<text class="chart-label" x="${(x + slot * 0.4).toFixed(1)}" y="${base + 16}" text-anchor="middle">${escapeHtml(category.label.slice(5))}</text>`
        : '';
    return segments.join('') + label;
  });
  return `${open(spec, width, height)}${ticks}${columns.join('')}</svg>`;
}

/** The legend, as HTML so it wraps on a narrow screen and reads as a list. */
export function legend(series: readonly Series[]): string {
  return `<ul class="legend">${series
    .map(
      (one) =>
        `<li><span class="swatch ${one.className}" aria-hidden="true"></span>${escapeHtml(one.label)}</li>`,
    )
    .join('')}</ul>`;
}
