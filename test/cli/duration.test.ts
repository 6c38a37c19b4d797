import { parseDuration, sinceInstant } from '../../cli/duration';
import { UsageError } from '../../cli/errors';

describe('durations', () => {
  it.each([
    ['30s', 30_000],
    ['15m', 900_000],
    ['12h', 43_200_000],
    ['7d', 604_800_000],
    ['2w', 1_209_600_000],
    ['7D', 604_800_000],
  ])('reads %s', (text, ms) => {
    expect(parseDuration(text, '--since')).toBe(ms);
  });

  it.each(['7', 'd', '7 days', '-1d', '1.5h', '0h', ''])('refuses "%s" naming the flag', (text) => {
    expect(() => parseDuration(text, '--since')).toThrow(UsageError);
    expect(() => parseDuration(text, '--since')).toThrow(/^--since: /);
  });

  it('turns --since into an instant: now minus the duration, or the date given', () => {
    const now = new Date('2026-11-24T12:00:00.000Z');
    expect(sinceInstant('7d', now)).toBe('2026-11-17T12:00:00.000Z');
    expect(sinceInstant('12h', now)).toBe('2026-11-24T00:00:00.000Z');
    expect(sinceInstant('2026-11-17', now)).toBe('2026-11-17T00:00:00.000Z');
    expect(() => sinceInstant('2026-13-45', now)).toThrow(/^--since: /);
  });
});
