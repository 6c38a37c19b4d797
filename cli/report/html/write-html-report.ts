import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Item } from '../../run-record';
import { reportFigures, type FigureOptions, type ReportFigures } from './figures';
import { renderHtmlReport } from './render-html';

export interface WrittenReport {
  readonly path: string;
  readonly bytes: number;
  readonly figures: ReportFigures;
}

/** Figures, page, file: the one path shared by `rootkeeper report --format html` and `npm start`. */
export function writeHtmlReport(items: readonly Item[], options: FigureOptions, file: string): WrittenReport {
  const figures = reportFigures(items, options);
  const html = renderHtmlReport(figures);
  const path = resolve(file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, html, 'utf8');
  return { path, bytes: Buffer.byteLength(html, 'utf8'), figures };
}
