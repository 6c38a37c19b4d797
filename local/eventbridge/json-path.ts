/**
 * The JSONPath subset EventBridge evaluates in InputPath and InputPathsMap:
 * `$`, dot notation with dashes, underscores and slashes, `['name']`,
 * array indices and `[*]` / `.*` wildcards.
 */

type Segment = { kind: 'name'; name: string } | { kind: 'index'; index: number } | { kind: 'wildcard' };

class InvalidJsonPathError extends Error {
  constructor(path: string, problem: string) {
    super(`invalid JSON path ${JSON.stringify(path)}: ${problem}`);
    this.name = new.target.name;
  }
}

const NAME = /^[^.[\]]+/;
const BRACKET = /^\[(?:(\d+)|\*|'([^']*)'|"([^"]*)")\]/;

function parseJsonPath(path: string): Segment[] {
  if (!path.startsWith('$')) throw new InvalidJsonPathError(path, 'must start with $');
  const segments: Segment[] = [];
  let rest = path.slice(1);
  while (rest !== '') {
    if (rest.startsWith('.')) {
      rest = rest.slice(1);
      const name = NAME.exec(rest)?.[0];
      if (name === undefined) throw new InvalidJsonPathError(path, 'a dot must be followed by a name');
      segments.push(name === '*' ? { kind: 'wildcard' } : { kind: 'name', name });
      rest = rest.slice(name.length);
    } else {
      const match = BRACKET.exec(rest);
      if (match === null) throw new InvalidJsonPathError(path, `unexpected "${rest}"`);
      const [text, index, single, double] = match;
      if (index !== undefined) segments.push({ kind: 'index', index: Number(index) });
      else if (single !== undefined || double !== undefined)
        segments.push({ kind: 'name', name: single ?? double ?? '' });
      else segments.push({ kind: 'wildcard' });
      rest = rest.slice(text.length);
    }
  }
  return segments;
}

/**
 * The value at `path`, or undefined when there is none. A path with a
 * wildcard answers the array of what it found.
 */
export function readJsonPath(document: unknown, path: string): unknown {
  const segments = parseJsonPath(path);
  let values: unknown[] = [document];
  let multiple = false;
  for (const segment of segments) {
    const next: unknown[] = [];
    for (const value of values) {
      if (segment.kind === 'name') {
        if (typeof value === 'object' && value !== null && !Array.isArray(value) && segment.name in value) {
          next.push((value as Record<string, unknown>)[segment.name]);
        }
      } else if (segment.kind === 'index') {
        if (Array.isArray(value) && segment.index < value.length) next.push(value[segment.index]);
      } else {
        multiple = true;
        if (Array.isArray(value)) next.push(...(value as readonly unknown[]));
        else if (typeof value === 'object' && value !== null)
          next.push(...Object.values(value as Record<string, unknown>));
      }
    }
    values = next;
  }
  return multiple ? values : values[0];
}
