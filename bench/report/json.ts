/** The JSON report: every figure, for scripts and for comparing runs. */
import type { BenchReport } from './model';

/** Series are dropped from the JSON: they are in the SVG, and they would dominate the file. */
export function renderJson(report: BenchReport): string {
  const scenarios = report.scenarios.map(({ series: _series, ...rest }) => rest);
  return `${JSON.stringify({ ...report, scenarios }, null, 2)}\n`;
}
