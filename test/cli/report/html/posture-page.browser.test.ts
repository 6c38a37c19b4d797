import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { writeHtmlReport } from '../../../../cli/report/html/write-html-report';
import { syntheticOrganization, type RawItem } from './synthetic-items';

/**
 * The HTML report in a real browser (Debian's Chromium, which .ci/run
 * installs): no console error, no request leaving the file, headline figures
 * equal to the accounts table's rows and to the items they came from, sorting
 * and filtering work, nothing overflows a phone's width. Leaves the page and a
 * screenshot in reports/ for people to look at.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const REPORTS = resolve(__dirname, '../../../../reports');
const NOW = new Date('2026-11-29T12:00:00Z');

let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];
const requestsOut: string[] = [];
let figures: Record<string, number>;
let items: RawItem[];
let accountsInOrganization: number;

/**
 * Runs an expression in the page. Passed as text because the project's
 * TypeScript has no DOM types (nothing else runs in a browser).
 */
function inPage<T>(expression: string): Promise<T> {
  return page.evaluate(expression) as Promise<T>;
}

/** Counted from the raw items, not with the report's code. */
function postures(): Record<string, unknown>[] {
  return items
    .filter((item) => item.SK === 'POSTURE')
    .map((item) => JSON.parse(String(item.posture)) as Record<string, unknown>);
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`no browser at ${CHROMIUM}: install Debian's chromium (see .ci/run)`);
  mkdirSync(REPORTS, { recursive: true });
  const organization = syntheticOrganization(60, NOW);
  items = organization.items;
  accountsInOrganization = organization.ouOf.size;
  const file = join(REPORTS, 'posture-browser-test.html');
  writeHtmlReport(
    items,
    { generatedAt: NOW.toISOString(), since: '2026-11-01T00:00:00.000Z', ouOf: organization.ouOf },
    file,
  );
  const url = pathToFileURL(file).href;
  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Root in CI containers: Chromium refuses its own sandbox there.
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  page = await browser.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(String(error)));
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    if (request.url() === url) return void request.continue();
    requestsOut.push(request.url());
    return void request.abort();
  });
  await page.setViewport({ width: 1200, height: 900 });
  await page.goto(url, { waitUntil: 'load' });
  figures = await inPage<Record<string, number>>(`Object.fromEntries(
    [...document.querySelectorAll('[data-figure]')].map((el) => [el.getAttribute('data-figure'), Number(el.textContent)]))`);
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

test('the page loads without a console error and without any request leaving the file', () => {
  expect(consoleErrors).toEqual([]);
  expect(requestsOut).toEqual([]);
});

test('the headline figures equal the accounts table and the items', async () => {
  const rows = await inPage<
    Record<string, number>[]
  >(`[...document.querySelectorAll('#accounts tbody tr')].map((tr) =>
    Object.fromEntries([...tr.querySelectorAll('td[data-kind]')].map((td) =>
      [td.getAttribute('data-kind'), Number(td.getAttribute('data-sort'))])))`);
  const withCredentials = postures().filter((posture) => posture.credentialsPresent === true);
  expect(figures['with-credentials']).toBe(rows.length);
  expect(figures['with-credentials']).toBe(withCredentials.length);
  for (const kind of ['password', 'access-keys', 'signing-certificates', 'mfa-devices']) {
    expect(figures[kind]).toBe(rows.filter((row) => (row[kind] ?? 0) > 0).length);
  }
  expect(figures.password).toBe(withCredentials.filter((posture) => posture.passwordPresent === true).length);
  expect(figures.clean).toBe(postures().length - withCredentials.length);
  expect(figures.accounts).toBe(accountsInOrganization);
  expect(figures['not-audited']).toBe(accountsInOrganization - postures().length);
  expect(figures['not-audited']).toBeGreaterThan(0);
});

test('the accounts table sorts by a column and filters as one types', async () => {
  await page.click('#accounts thead th:nth-child(4) button');
  await page.click('#accounts thead th:nth-child(4) button');
  const keys = await inPage<number[]>(
    `[...document.querySelectorAll('#accounts tbody td[data-kind="access-keys"]')].map((td) => Number(td.getAttribute('data-sort')))`,
  );
  expect(keys).toEqual([...keys].sort((a, b) => b - a));
  expect(keys[0]).toBeGreaterThan(0);

  await page.type('#accounts-filter', 'Workloads-3');
  const visible = await inPage<string[]>(
    `[...document.querySelectorAll('#accounts tbody tr:not([hidden])')].map((tr) => tr.querySelector('td').textContent)`,
  );
  expect(visible.length).toBeGreaterThan(0);
  expect(visible.every((ou) => ou === 'Workloads-3')).toBe(true);
  expect(await inPage<string>(`document.getElementById('accounts-shown').textContent`)).toBe(
    `${visible.length} of ${figures['with-credentials']} shown`,
  );
  await inPage(`(() => {
    const input = document.getElementById('accounts-filter');
    input.value = '';
    input.dispatchEvent(new Event('input'));
  })()`);
});

test('every chart has a text alternative', async () => {
  const charts = await inPage<{ role: string | null; title: string; desc: string }[]>(
    `[...document.querySelectorAll('svg.chart')].map((svg) => ({
      role: svg.getAttribute('role'),
      title: svg.querySelector('title')?.textContent ?? '',
      desc: svg.querySelector('desc')?.textContent ?? '',
    }))`,
  );
  expect(charts).toHaveLength(4);
  for (const chart of charts) {
    expect(chart.role).toBe('img');
    expect(chart.title).not.toBe('');
    expect(chart.desc).not.toBe('');
  }
});

test('the screenshot is saved, and nothing overflows a narrow screen', async () => {
  await inPage(`document.activeElement?.blur(); window.scrollTo(0, 0)`);
  await page.screenshot({ path: join(REPORTS, 'posture.png') });
  expect(existsSync(join(REPORTS, 'posture.png'))).toBe(true);
  await page.setViewport({ width: 375, height: 800 });
  const overflow = await inPage<number>(`document.documentElement.scrollWidth - window.innerWidth`);
  expect(overflow).toBeLessThanOrEqual(0);
});
