/**
 * `npx tsx bench/html-report-size.ts [accounts...]`: size of the HTML posture
 * report and the time to compute and render it from table items (default:
 * an empty table and 10,000 accounts), then the time Chromium takes to load
 * it. A script that prints figures, not a test.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer from 'puppeteer-core';
import { writeHtmlReport } from '../cli/report/html/write-html-report';
import { syntheticOrganization } from '../test/cli/report/html/synthetic-items';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OUT = resolve(__dirname, '..', 'reports', 'bench');

async function main(): Promise<void> {
  const sizes = process.argv.slice(2).map(Number);
  const accountsList = sizes.length > 0 ? sizes : [0, 10_000];
  mkdirSync(OUT, { recursive: true });
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox'],
  });
  try {
    for (const accounts of accountsList) {
      const now = new Date('2026-11-29T12:00:00Z');
      const { items, ouOf } = syntheticOrganization(accounts, now);
      const file = join(OUT, `posture-${accounts}.html`);
      const started = process.hrtime.bigint();
      const written = writeHtmlReport(
        items,
        { generatedAt: now.toISOString(), since: '2026-11-01T00:00:00Z', ouOf },
        file,
      );
      const renderMs = Number(process.hrtime.bigint() - started) / 1e6;
      const page = await browser.newPage();
      const loadStarted = Date.now();
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      const loadMs = Date.now() - loadStarted;
      await page.close();
      process.stdout.write(
        `${accounts} accounts, ${items.length} items: ${(written.bytes / 1024).toFixed(1)} KiB, ` +
          `figures + HTML ${renderMs.toFixed(0)} ms (written to ${file}), Chromium load ${loadMs} ms, ` +
          `${written.figures.withCredentials.length} rows in the accounts table\n`,
      );
    }
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
