/** Number formatting shared by the terminal table and the Markdown report. */

export function seconds(ms: number): string {
  if (!Number.isFinite(ms)) return '∞';
  const s = ms / 1000;
  if (s >= 100) return `${s.toFixed(0)} s`;
  if (s >= 10) return `${s.toFixed(1)} s`;
  return `${s.toFixed(2)} s`;
}

export function decimal(value: number, digits = 1): string {
  if (!Number.isFinite(value)) return '∞';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function integer(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

export function usd(value: number): string {
  if (value === 0) return '$0';
  return value >= 0.01 ? `$${value.toFixed(4)}` : `$${value.toPrecision(2)}`;
}

/** A trailing marker on every extrapolated figure, so no reader takes it for a measurement. */
export const EXTRAPOLATED_MARK = ' (extrap.)';
