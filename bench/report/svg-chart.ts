/**
 * Accounts completed over time, one line per strategy, as a standalone SVG.
 * Hand-written: a chart library would be a dependency for forty lines.
 */

export interface Series {
  readonly label: string;
  /** [milliseconds since start, accounts completed], x ascending. */
  readonly points: readonly (readonly [number, number])[];
  /** Drawn dashed: an extrapolated part, not a measurement. */
  readonly dashed?: boolean;
  readonly color?: string;
}

export interface ChartOptions {
  readonly title: string;
  readonly width?: number;
  readonly height?: number;
  /** Log scale on time: the strategies differ by orders of magnitude. */
  readonly logTime?: boolean;
}

const PALETTE = ['#1b6ac9', '#d9480f', '#2b8a3e', '#862e9c', '#c92a2a'];
const MARGIN = { left: 70, right: 20, top: 40, bottom: 60 };

/** At most `max` points per line: a step per account would make a 10,000-account chart huge. */
export function completionCurve(completionsMs: readonly number[], max = 200): [number, number][] {
  const sorted = [...completionsMs].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return [[0, 0]];
  const step = Math.max(1, Math.ceil(n / max));
  const points: [number, number][] = [[0, 0]];
  for (let i = step - 1; i < n; i += step) points.push([sorted[i] ?? 0, i + 1]);
  const last = sorted[n - 1] ?? 0;
  if (points[points.length - 1]?.[1] !== n) points.push([last, n]);
  return points;
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Round numbers for axis ticks: 1, 2, 5 × 10^k. */
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0];
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let value = 0; value <= max + step * 1e-9; value += step) ticks.push(Number(value.toPrecision(12)));
  return ticks;
}

function logTicks(minS: number, maxS: number): number[] {
  const ticks: number[] = [];
  for (let p = Math.floor(Math.log10(minS)); 10 ** p <= maxS * 1.0001; p += 1) ticks.push(10 ** p);
  return ticks;
}

const formatSeconds = (s: number): string => (s >= 1 ? `${Number(s.toPrecision(3))} s` : `${s * 1000} ms`);

export function renderChart(series: readonly Series[], options: ChartOptions): string {
  const width = options.width ?? 720;
  // One legend line per series below the axis title.
  const legendH = 18 * series.length;
  const height = (options.height ?? 360) + legendH;
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - legendH - MARGIN.top - MARGIN.bottom;
  const allPoints = series.flatMap((s) => s.points);
  const maxMs = Math.max(1, ...allPoints.map(([t]) => t));
  const maxY = Math.max(1, ...allPoints.map(([, y]) => y));
  const minS = 0.01;
  const maxS = maxMs / 1000;
  const x = (ms: number): number => {
    if (!options.logTime) return MARGIN.left + (ms / maxMs) * plotW;
    const s = Math.max(minS, ms / 1000);
    return MARGIN.left + (Math.log10(s / minS) / Math.log10(Math.max(maxS, minS * 10) / minS)) * plotW;
  };
  const y = (count: number): number => MARGIN.top + plotH - (count / maxY) * plotH;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="14">${escapeXml(options.title)}</text>`,
  ];
  for (const tick of niceTicks(maxY)) {
    const ty = y(tick).toFixed(1);
    parts.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${ty}" y2="${ty}" stroke="#eee"/>`,
      `<text x="${MARGIN.left - 6}" y="${ty}" text-anchor="end" dominant-baseline="middle">${tick}</text>`,
    );
  }
  const xTicks = options.logTime
    ? logTicks(minS, maxS).map((s) => s * 1000)
    : niceTicks(maxMs / 1000).map((s) => s * 1000);
  for (const tick of xTicks) {
    const tx = x(tick).toFixed(1);
    parts.push(
      `<line x1="${tx}" x2="${tx}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}" stroke="#eee"/>`,
      `<text x="${tx}" y="${MARGIN.top + plotH + 16}" text-anchor="middle">${formatSeconds(tick / 1000)}</text>`,
    );
  }
  parts.push(
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#888"/>`,
    `<text x="${MARGIN.left + plotW / 2}" y="${MARGIN.top + plotH + 36}" text-anchor="middle">time since start${options.logTime ? ' (log scale)' : ''}</text>`,
    `<text transform="translate(16 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">accounts completed</text>`,
  );
  series.forEach((line, index) => {
    const color = line.color ?? PALETTE[index % PALETTE.length] ?? '#000';
    const d = line.points
      .map(([t, c], i) => `${i === 0 ? 'M' : 'L'}${x(t).toFixed(1)},${y(c).toFixed(1)}`)
      .join(' ');
    const dash = line.dashed ? ' stroke-dasharray="6 4"' : '';
    parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2"${dash}/>`);
    const ly = MARGIN.top + plotH + MARGIN.bottom + 4 + index * 18;
    const lx = MARGIN.left;
    parts.push(
      `<line x1="${lx}" x2="${lx + 18}" y1="${ly - 4}" y2="${ly - 4}" stroke="${color}" stroke-width="2"${dash}/>`,
      `<text x="${lx + 22}" y="${ly}">${escapeXml(line.label)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}
