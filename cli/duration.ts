import { UsageError } from './errors';

/**
 * `--since` and `--timeout` take a duration such as 30m, 12h, 7d or 2w;
 * `--since` also takes an ISO date or time (2026-11-17, 2026-11-17T08:00Z).
 */

const UNIT_MS: Readonly<Record<string, number>> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

export function parseDuration(text: string, flag: string): number {
  const match = /^(\d{1,6})\s*([smhdw])$/i.exec(text.trim());
  const amount = match?.[1];
  const unit = match?.[2]?.toLowerCase();
  const unitMs = unit === undefined ? undefined : UNIT_MS[unit];
  if (amount === undefined || unitMs === undefined) {
    throw new UsageError(flag, `"${text}" is not a duration; use a number and a unit: 30m, 12h, 7d, 2w`);
  }
  const ms = Number(amount) * unitMs;
  if (ms <= 0) throw new UsageError(flag, 'must be longer than zero');
  return ms;
}

/** The ISO instant `--since` names: now minus a duration, or the given date/time. */
export function sinceInstant(text: string, now: Date, flag = '--since'): string {
  if (/^\d{4}-\d{2}-\d{2}/.test(text.trim())) {
    const date = new Date(text.trim());
    if (Number.isNaN(date.getTime())) throw new UsageError(flag, `"${text}" is not a valid date`);
    return date.toISOString();
  }
  return new Date(now.getTime() - parseDuration(text, flag)).toISOString();
}
