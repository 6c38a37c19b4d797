import { sequentialRoundTrips } from '../../bench/round-trips';

describe('sequential round trips', () => {
  it('counts calls that follow each other', () => {
    expect(
      sequentialRoundTrips([
        { startMs: 0, endMs: 60 },
        { startMs: 61, endMs: 121 },
        { startMs: 122, endMs: 125 },
      ]),
    ).toBe(3);
  });

  it('counts parallel calls once', () => {
    // DescribeAccount and ListParents together, then AssumeRoot, GetAccountSummary, the write
    expect(
      sequentialRoundTrips([
        { startMs: 0, endMs: 60 },
        { startMs: 1, endMs: 61 },
        { startMs: 62, endMs: 122 },
        { startMs: 123, endMs: 183 },
        { startMs: 184, endMs: 186 },
      ]),
    ).toBe(4);
  });

  it('is zero without calls', () => {
    expect(sequentialRoundTrips([])).toBe(0);
  });
});
