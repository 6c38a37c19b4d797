/** The terminal table: one line per strategy × size × fault setting. */
import Table from 'cli-table3';
import type { Row } from '../result';
import { EXTRAPOLATED_MARK, decimal, integer, seconds, usd } from './format';

export const TABLE_HEAD = [
  'strategy',
  'accounts',
  'faults',
  'wall',
  'acct/s',
  'floor',
  'wall÷floor',
  'wall÷fault floor',
  'calls/acct',
  'throttled',
  'retries',
  'correct / wrong / missing',
  'transitions/acct',
  'invocations/acct',
  '$ per 1,000',
  'peak RSS',
  'CPU',
];

export function rowCells(row: Row): string[] {
  const mark = row.extrapolated ? EXTRAPOLATED_MARK : '';
  const c = row.correctness;
  const sample = row.extrapolated ? ` of ${integer(c.expected)} sampled` : '';
  return [
    row.maxAttempts === undefined ? row.strategy : `${row.strategy} ×${row.maxAttempts}`,
    integer(row.accounts),
    row.faults,
    `${seconds(row.wallMs)}${mark}`,
    `${decimal(row.accountsPerSecond)}${mark}`,
    seconds(row.floorMs),
    `${decimal(row.wallOverFloor, 2)}${mark}`,
    row.wallOverFaultFloor === undefined ? '–' : `${decimal(row.wallOverFaultFloor, 2)}${mark}`,
    decimal(row.callsPerAccount, 2),
    integer(row.calls.throttled),
    integer(row.retries),
    `${integer(c.correct)} / ${integer(c.wrong)} / ${integer(c.missing)}${sample}`,
    row.rootkeeper ? decimal(row.rootkeeper.transitionsPerAccount, 3) : '–',
    row.rootkeeper ? decimal(row.rootkeeper.invocationsPerAccount, 3) : '–',
    row.rootkeeper ? usd(row.rootkeeper.cost.per1000Accounts) : '–',
    `${integer(row.peakRssMb)} MB`,
    seconds(row.cpuMs),
  ];
}

export function renderTable(rows: readonly Row[]): string {
  const table = new Table({ head: TABLE_HEAD, style: { head: [], border: [] } });
  for (const row of rows) table.push(rowCells(row));
  return table.toString();
}
