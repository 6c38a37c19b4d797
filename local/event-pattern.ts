/**
 * An EventBridge event pattern matcher, faithful to the documented semantics
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html):
 * the CDK tests check the synthesized rules with it and the local bus routes
 * events with it, so a rule that matches here matches in AWS.
 *
 * Semantics kept on purpose:
 * - a leaf is an array of alternatives; an event array matches when any of
 *   its elements matches any alternative;
 * - every filter but `exists: false` needs the field to be present;
 * - `exists` only looks at leaves (an object is not "present" for it);
 * - prefix, suffix, wildcard and equals-ignore-case only match strings,
 *   numeric only matches numbers; types never coerce (5 never equals "5");
 * - `$or` holds alternative sub-patterns ANDed with the other keys.
 */

export type EventPattern = Readonly<Record<string, unknown>>;

/** The pattern itself is malformed: AWS would refuse it at PutRule (InvalidEventPatternException). */
export class InvalidEventPatternError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function matchesEventPattern(pattern: unknown, event: unknown): boolean {
  validateEventPattern(pattern);
  return matchObject(pattern as Record<string, unknown>, event);
}

/**
 * Throws InvalidEventPatternError for what PutRule would refuse. Matching
 * alone would not: it stops at the first key that fails.
 */
export function validateEventPattern(pattern: unknown): void {
  if (!isPlainObject(pattern)) throw new InvalidEventPatternError('an event pattern must be a JSON object');
  // Validation is matching against nothing while visiting every key.
  for (const [key, sub] of Object.entries(pattern)) {
    if (key === '$or') {
      matchOr(sub, undefined);
      if (Array.isArray(sub)) sub.forEach(validateEventPattern);
    } else if (isPlainObject(sub)) {
      validateEventPattern(sub);
    } else if (Array.isArray(sub)) {
      validateLeaf(key, sub);
    } else {
      throw new InvalidEventPatternError(
        `"${key}" must be an object or an array, got ${JSON.stringify(sub)}`,
      );
    }
  }
}

function validateLeaf(key: string, alternatives: unknown[]): void {
  matchLeaf(key, alternatives, undefined);
  for (const alternative of alternatives) {
    if (isPlainObject(alternative) && !('exists' in alternative)) {
      // Each operator checks its operand on the path that reads it: one
      // string and one number reach every path.
      matchFilter(key, alternative, '');
      matchFilter(key, alternative, 0);
    }
  }
}

function matchObject(pattern: Record<string, unknown>, value: unknown): boolean {
  // An event array of objects matches when one element matches the whole sub-pattern.
  if (Array.isArray(value)) {
    const objects = value.filter(isPlainObject);
    if (objects.length === 0) return matchObject(pattern, undefined);
    return objects.some((element) => matchObject(pattern, element));
  }
  const fields = isPlainObject(value) ? value : undefined;
  return Object.entries(pattern).every(([key, sub]) => {
    if (key === '$or') return matchOr(sub, value);
    const child = fields === undefined ? undefined : fields[key];
    if (isPlainObject(sub)) return matchObject(sub, child);
    if (Array.isArray(sub)) return matchLeaf(key, sub, child);
    throw new InvalidEventPatternError(`"${key}" must be an object or an array, got ${JSON.stringify(sub)}`);
  });
}

function matchOr(alternatives: unknown, value: unknown): boolean {
  if (!Array.isArray(alternatives) || alternatives.length < 2 || !alternatives.every(isPlainObject)) {
    throw new InvalidEventPatternError('"$or" must be an array of at least two objects');
  }
  return alternatives.some((alternative) => matchObject(alternative, value));
}

/** The leaf values of an event field: none when absent, an object or an empty array. */
function leafValues(value: unknown): Json[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return (value as unknown[]).flatMap((element) => leafValues(element));
  if (isPlainObject(value)) return [];
  return [value as Json];
}

function matchLeaf(key: string, alternatives: unknown[], value: unknown): boolean {
  if (alternatives.length === 0) throw new InvalidEventPatternError(`"${key}" must not be an empty array`);
  const values = leafValues(value);
  return alternatives.some((alternative) => {
    if (isPlainObject(alternative)) {
      if ('exists' in alternative) return matchExists(key, alternative, values);
      return values.some((candidate) => matchFilter(key, alternative, candidate));
    }
    if (Array.isArray(alternative)) throw new InvalidEventPatternError(`"${key}" must not nest arrays`);
    return values.some((candidate) => equalsExactly(alternative as Json, candidate));
  });
}

function matchExists(key: string, filter: Record<string, unknown>, values: Json[]): boolean {
  const { exists } = filter;
  if (typeof exists !== 'boolean' || Object.keys(filter).length !== 1) {
    throw new InvalidEventPatternError(`"${key}": "exists" takes true or false and nothing else`);
  }
  return exists === values.length > 0;
}

/** Same type and value: JSON numbers compare as numbers (5 equals 5.0), never as strings. */
function equalsExactly(expected: Json, actual: Json): boolean {
  return expected === actual;
}

function onlyKey(key: string, filter: Record<string, unknown>): [string, unknown] {
  const entries = Object.entries(filter);
  const [entry] = entries;
  if (entries.length !== 1 || entry === undefined) {
    throw new InvalidEventPatternError(`"${key}": a content filter has exactly one operator`);
  }
  return entry;
}

function matchFilter(key: string, filter: Record<string, unknown>, value: Json): boolean {
  const [operator, operand] = onlyKey(key, filter);
  switch (operator) {
    case 'prefix':
      return matchAffix(key, operand, value, (text, affix) => text.startsWith(affix));
    case 'suffix':
      return matchAffix(key, operand, value, (text, affix) => text.endsWith(affix));
    case 'equals-ignore-case':
      return (
        typeof value === 'string' &&
        stringsOf(key, operator, operand).some((text) => sameIgnoringCase(text, value))
      );
    case 'wildcard':
      return (
        typeof value === 'string' &&
        stringsOf(key, operator, operand).some((glob) => matchWildcard(glob, value))
      );
    case 'anything-but':
      return matchAnythingBut(key, operand, value);
    case 'numeric':
      return typeof value === 'number' && matchNumeric(key, operand, value);
    case 'cidr':
      return typeof value === 'string' && matchCidr(key, operand, value);
    default:
      throw new InvalidEventPatternError(`"${key}": unknown content filter "${operator}"`);
  }
}

function stringsOf(key: string, operator: string, operand: unknown): string[] {
  const list = Array.isArray(operand) ? operand : [operand];
  const strings = list.filter((item): item is string => typeof item === 'string');
  if (strings.length === 0 || strings.length !== list.length) {
    throw new InvalidEventPatternError(`"${key}": "${operator}" takes a string`);
  }
  return strings;
}

function sameIgnoringCase(left: string, right: string): boolean {
  return left.toLowerCase() === right.toLowerCase() || left.toUpperCase() === right.toUpperCase();
}

/** prefix / suffix take a string or `{ "equals-ignore-case": string }`. */
function matchAffix(
  key: string,
  operand: unknown,
  value: Json,
  test: (text: string, affix: string) => boolean,
): boolean {
  if (typeof value !== 'string') return false;
  if (typeof operand === 'string') return test(value, operand);
  if (isPlainObject(operand)) {
    const [inner, affix] = onlyKey(key, operand);
    if (inner === 'equals-ignore-case' && typeof affix === 'string') {
      return test(value.toLowerCase(), affix.toLowerCase());
    }
  }
  throw new InvalidEventPatternError(
    `"${key}": prefix and suffix take a string or {"equals-ignore-case": string}`,
  );
}

/** `*` matches any run of characters; `\*` and `\\` are literal. */
export function matchWildcard(glob: string, text: string): boolean {
  let source = '';
  for (let index = 0; index < glob.length; index += 1) {
    const char = glob.charAt(index);
    if (char === '\\' && (glob.charAt(index + 1) === '*' || glob.charAt(index + 1) === '\\')) {
      source += `\\${glob.charAt(index + 1)}`;
      index += 1;
    } else if (char === '*') {
      source += '.*';
    } else {
      source += char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`, 's').test(text);
}

function matchAnythingBut(key: string, operand: unknown, value: Json): boolean {
  if (isPlainObject(operand)) {
    const [inner, argument] = onlyKey(key, operand);
    if (inner === 'prefix' || inner === 'suffix' || inner === 'equals-ignore-case' || inner === 'wildcard') {
      if (typeof value !== 'string') return false;
      return !matchFilter(key, { [inner]: argument }, value);
    }
    throw new InvalidEventPatternError(`"${key}": anything-but does not take "${inner}"`);
  }
  const list: unknown[] = Array.isArray(operand) ? operand : [operand];
  const excluded = list.filter(
    (item): item is string | number => typeof item === 'string' || typeof item === 'number',
  );
  if (excluded.length !== list.length) {
    throw new InvalidEventPatternError(`"${key}": anything-but takes strings or numbers`);
  }
  return !excluded.some((item) => equalsExactly(item, value));
}

const COMPARATORS: Readonly<Record<string, (left: number, right: number) => boolean>> = {
  '=': (left, right) => left === right,
  '<': (left, right) => left < right,
  '<=': (left, right) => left <= right,
  '>': (left, right) => left > right,
  '>=': (left, right) => left >= right,
};

function matchNumeric(key: string, operand: unknown, value: number): boolean {
  if (!Array.isArray(operand) || operand.length === 0 || operand.length % 2 !== 0) {
    throw new InvalidEventPatternError(`"${key}": numeric takes operator / number pairs`);
  }
  for (let index = 0; index < operand.length; index += 2) {
    const operator: unknown = operand[index];
    const bound: unknown = operand[index + 1];
    const compare = typeof operator === 'string' ? COMPARATORS[operator] : undefined;
    if (compare === undefined || typeof bound !== 'number') {
      throw new InvalidEventPatternError(`"${key}": numeric takes operator / number pairs`);
    }
    if (!compare(value, bound)) return false;
  }
  return true;
}

function ipv4ToNumber(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let result = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    result = result * 256 + Number(part);
  }
  return result;
}

/** IPv4 CIDR only: the service emits no addresses, this is for completeness of the grammar. */
function matchCidr(key: string, operand: unknown, value: string): boolean {
  const [network, bits] = typeof operand === 'string' ? operand.split('/') : [];
  const base = network === undefined ? undefined : ipv4ToNumber(network);
  const prefix = Number(bits);
  if (base === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) {
    throw new InvalidEventPatternError(`"${key}": cidr takes an IPv4 block such as 10.0.0.0/24`);
  }
  const address = ipv4ToNumber(value);
  if (address === undefined) return false;
  const size = 2 ** (32 - prefix);
  return Math.floor(address / size) === Math.floor(base / size);
}
