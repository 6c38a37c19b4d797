import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/** The sample events, copied from ../shared/fixtures/events so that the repository is self-contained. */
const EVENT_FIXTURES = path.resolve(__dirname, '../../fixtures/events');

export function readEvent(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(EVENT_FIXTURES, `${name}.json`), 'utf8')) as Record<
    string,
    unknown
  >;
}
