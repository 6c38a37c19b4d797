import { completionCurve, escapeXml, niceTicks, renderChart } from '../../bench/report/svg-chart';

describe('completion curve', () => {
  it('starts at zero and ends at the last completion', () => {
    const points = completionCurve([30, 10, 20]);
    expect(points[0]).toEqual([0, 0]);
    expect(points[points.length - 1]).toEqual([30, 3]);
  });

  it('keeps at most about `max` points for large runs', () => {
    const points = completionCurve(
      Array.from({ length: 10_000 }, (_, i) => i),
      200,
    );
    expect(points.length).toBeLessThanOrEqual(202);
    expect(points[points.length - 1]).toEqual([9_999, 10_000]);
    // counts never go down
    for (let i = 1; i < points.length; i += 1)
      expect(points[i]![1]).toBeGreaterThanOrEqual(points[i - 1]![1]);
  });

  it('is a single origin point when nothing completed', () => {
    expect(completionCurve([])).toEqual([[0, 0]]);
  });
});

describe('axis ticks', () => {
  it('uses 1, 2, 5 steps', () => {
    expect(niceTicks(10_000)).toEqual([0, 2000, 4000, 6000, 8000, 10_000]);
    expect(niceTicks(7)).toEqual([0, 2, 4, 6]);
    expect(niceTicks(0)).toEqual([0]);
  });
});

describe('chart', () => {
  const svg = renderChart(
    [
      {
        label: 'Rootkeeper',
        points: [
          [0, 0],
          [1000, 50],
          [2000, 100],
        ],
      },
      {
        label: 'Sequential <extrapolated>',
        points: [
          [0, 0],
          [60_000, 100],
        ],
        dashed: true,
      },
    ],
    { title: '100 accounts & no faults', logTime: true },
  );

  it('is a standalone SVG document with one path per strategy', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(svg.match(/<path /g)).toHaveLength(2);
  });

  it('draws extrapolated series dashed and escapes text', () => {
    expect(svg).toContain('stroke-dasharray');
    expect(svg).toContain('Sequential &lt;extrapolated&gt;');
    expect(svg).toContain('100 accounts &amp; no faults');
    expect(escapeXml('"a"')).toBe('&quot;a&quot;');
  });

  it('keeps every coordinate inside the canvas', () => {
    const numbers = [...svg.matchAll(/[ML](-?[\d.]+),(-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
    for (const [x, y] of numbers) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(720);
      expect(y).toBeGreaterThanOrEqual(0);
      expect(y).toBeLessThanOrEqual(360 + 2 * 18);
    }
  });
});
