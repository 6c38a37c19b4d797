/** Writes the three outputs: JSON, Markdown and one SVG chart per scenario. */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { renderJson } from './json';
import { renderMarkdown } from './markdown';
import type { BenchReport } from './model';
import { renderChart } from './svg-chart';

export interface WrittenFiles {
  readonly json: string;
  readonly markdown: string;
  readonly charts: string[];
}

export async function writeReport(report: BenchReport, outDir: string): Promise<WrittenFiles> {
  await mkdir(outDir, { recursive: true });
  const charts: string[] = [];
  const scenarios = await Promise.all(
    report.scenarios.map(async (scenario) => {
      const chartFile = `chart-${scenario.accounts}-${scenario.faults}.svg`;
      const svg = renderChart(scenario.series ?? [], {
        title: `Accounts completed over time: ${scenario.accounts.toLocaleString('en-US')} accounts, faults ${scenario.faults}`,
        logTime: true,
      });
      const file = path.join(outDir, chartFile);
      await writeFile(file, svg);
      charts.push(file);
      return { ...scenario, chartFile };
    }),
  );
  const full = { ...report, scenarios };
  const json = path.join(outDir, 'bench.json');
  const markdown = path.join(outDir, 'bench.md');
  await writeFile(json, renderJson(full));
  await writeFile(markdown, renderMarkdown(full));
  return { json, markdown, charts };
}
