import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidEventPatternError, matchWildcard, matchesEventPattern } from '../../local/event-pattern';

function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(__dirname, '../fixtures/events', `${name}.json`), 'utf8')) as Record<
    string,
    unknown
  >;
}

const created = fixture('organizations-create-account-result-succeeded');
const failed = fixture('organizations-create-account-result-failed');
const managed = fixture('controltower-create-managed-account-succeeded');

describe('the new-account patterns against the fixtures', () => {
  const createAccountSucceeded = {
    source: ['aws.organizations'],
    'detail-type': ['AWS Service Event via CloudTrail'],
    detail: {
      eventName: ['CreateAccountResult'],
      serviceEventDetails: { createAccountStatus: { state: ['SUCCEEDED'] } },
    },
  };
  const managedAccountSucceeded = {
    source: ['aws.controltower'],
    'detail-type': ['AWS Service Event via CloudTrail'],
    detail: {
      eventName: ['CreateManagedAccount', 'UpdateManagedAccount'],
      serviceEventDetails: { createManagedAccountStatus: { state: ['SUCCEEDED'] } },
    },
  };

  test('a SUCCEEDED CreateAccountResult matches, a FAILED one does not', () => {
    expect(matchesEventPattern(createAccountSucceeded, created)).toBe(true);
    expect(matchesEventPattern(createAccountSucceeded, failed)).toBe(false);
  });

  test('the Control Tower pattern matches only the Control Tower event', () => {
    expect(matchesEventPattern(managedAccountSucceeded, managed)).toBe(true);
    expect(matchesEventPattern(managedAccountSucceeded, created)).toBe(false);
    expect(matchesEventPattern(createAccountSucceeded, managed)).toBe(false);
  });

  test('"AWS API Call via CloudTrail" is not the detail-type Organizations uses', () => {
    expect(
      matchesEventPattern(createAccountSucceeded, {
        ...created,
        'detail-type': 'AWS API Call via CloudTrail',
      }),
    ).toBe(false);
  });

  test('an account id must exist: the FAILED event has none', () => {
    const pattern = {
      detail: { serviceEventDetails: { createAccountStatus: { accountId: [{ exists: true }] } } },
    };
    expect(matchesEventPattern(pattern, created)).toBe(true);
    expect(matchesEventPattern(pattern, failed)).toBe(false);
  });
});

const event = {
  source: 'com.example',
  'detail-type': 'Thing Happened',
  account: '123456789012',
  resources: ['arn:aws:s3:::alpha', 'arn:aws:s3:::beta'],
  detail: {
    state: 'RUNNING',
    count: 5,
    ratio: 0.5,
    flag: false,
    nothing: null,
    empty: '',
    nested: { deep: { value: 'Hello' } },
    tags: ['red', 'green'],
    items: [
      { name: 'a', size: 1 },
      { name: 'b', size: 2 },
    ],
    ip: '10.0.1.7',
    path: 'dir/file*.txt',
  },
};

const cases: [string, Record<string, unknown>, boolean][] = [
  ['exact string', { source: ['com.example'] }, true],
  ['one of several values', { source: ['other', 'com.example'] }, true],
  ['no value matches', { source: ['other'] }, false],
  ['strings never equal numbers', { detail: { count: ['5'] } }, false],
  ['numbers compare numerically', { detail: { count: [5.0] } }, true],
  ['booleans', { detail: { flag: [false] } }, true],
  ['null matches null', { detail: { nothing: [null] } }, true],
  ['null does not match an absent field', { detail: { missing: [null] } }, false],
  ['empty string', { detail: { empty: [''] } }, true],
  ['nested objects', { detail: { nested: { deep: { value: ['Hello'] } } } }, true],
  ['event arrays: any element', { resources: ['arn:aws:s3:::beta'] }, true],
  ['event arrays: none', { resources: ['arn:aws:s3:::gamma'] }, false],
  ['arrays of objects: one element matches', { detail: { items: { name: ['b'], size: [2] } } }, true],
  [
    'arrays of objects: fields from different elements do not',
    { detail: { items: { name: ['a'], size: [2] } } },
    false,
  ],
  ['prefix', { 'detail-type': [{ prefix: 'Thing' }] }, true],
  ['prefix is case sensitive', { 'detail-type': [{ prefix: 'thing' }] }, false],
  ['prefix ignoring case', { 'detail-type': [{ prefix: { 'equals-ignore-case': 'THING' } }] }, true],
  ['suffix', { 'detail-type': [{ suffix: 'Happened' }] }, true],
  ['suffix ignoring case', { 'detail-type': [{ suffix: { 'equals-ignore-case': 'HAPPENED' } }] }, true],
  ['prefix never matches numbers', { detail: { count: [{ prefix: '5' }] } }, false],
  ['anything-but a value', { detail: { state: [{ 'anything-but': 'STOPPED' }] } }, true],
  ['anything-but that value', { detail: { state: [{ 'anything-but': 'RUNNING' }] } }, false],
  ['anything-but a list', { detail: { state: [{ 'anything-but': ['STOPPED', 'RUNNING'] }] } }, false],
  ['anything-but a number', { detail: { count: [{ 'anything-but': [4, 6] }] } }, true],
  ['anything-but needs the field', { detail: { missing: [{ 'anything-but': 'x' }] } }, false],
  ['anything-but prefix', { detail: { state: [{ 'anything-but': { prefix: 'STOP' } }] } }, true],
  ['anything-but prefix excluded', { detail: { state: [{ 'anything-but': { prefix: 'RUN' } }] } }, false],
  ['anything-but suffix', { detail: { state: [{ 'anything-but': { suffix: 'ING' } }] } }, false],
  [
    'anything-but ignoring case',
    { detail: { state: [{ 'anything-but': { 'equals-ignore-case': 'running' } }] } },
    false,
  ],
  [
    'anything-but on an array: one other element suffices',
    { detail: { tags: [{ 'anything-but': 'red' }] } },
    true,
  ],
  ['numeric range', { detail: { count: [{ numeric: ['>', 0, '<=', 5] }] } }, true],
  ['numeric outside the range', { detail: { count: [{ numeric: ['>', 5] }] } }, false],
  ['numeric equals', { detail: { ratio: [{ numeric: ['=', 0.5] }] } }, true],
  ['numeric never matches strings', { detail: { state: [{ numeric: ['>', 0] }] } }, false],
  ['exists true', { detail: { state: [{ exists: true }] } }, true],
  ['exists true on null', { detail: { nothing: [{ exists: true }] } }, true],
  ['exists false on an absent field', { detail: { missing: [{ exists: false }] } }, true],
  ['exists false on a present field', { detail: { state: [{ exists: false }] } }, false],
  ['exists only sees leaves', { detail: { nested: [{ exists: true }] } }, false],
  ['exists false under an absent object', { detail: { absent: { deeper: [{ exists: false }] } } }, true],
  ['equals-ignore-case', { detail: { state: [{ 'equals-ignore-case': 'running' }] } }, true],
  ['wildcard', { source: [{ wildcard: 'com.*' }] }, true],
  ['wildcard in the middle', { 'detail-type': [{ wildcard: 'Thing*ed' }] }, true],
  ['wildcard without a star is exact', { source: [{ wildcard: 'com' }] }, false],
  ['escaped star is literal', { detail: { path: [{ wildcard: 'dir/file\\*.txt' }] } }, true],
  ['cidr', { detail: { ip: [{ cidr: '10.0.0.0/16' }] } }, true],
  ['cidr outside', { detail: { ip: [{ cidr: '10.1.0.0/16' }] } }, false],
  ['all keys must match', { source: ['com.example'], account: ['000000000000'] }, false],
  ['$or: one branch', { $or: [{ source: ['nope'] }, { detail: { state: ['RUNNING'] } }] }, true],
  ['$or: no branch', { $or: [{ source: ['nope'] }, { detail: { state: ['STOPPED'] } }] }, false],
  [
    '$or with another key',
    { account: ['123456789012'], $or: [{ source: ['nope'] }, { source: ['com.example'] }] },
    true,
  ],
  ['$or nested', { detail: { $or: [{ count: [{ numeric: ['>', 10] }] }, { flag: [false] }] } }, true],
];

test.each(cases)('%s', (_name, pattern, expected) => {
  expect(matchesEventPattern(pattern, event)).toBe(expected);
});

describe('malformed patterns are refused as AWS refuses them', () => {
  test.each([
    ['a bare value', { source: 'com.example' }],
    ['an empty array', { source: [] }],
    ['an unknown operator', { source: [{ regex: '.*' }] }],
    ['two operators in one filter', { source: [{ prefix: 'a', suffix: 'b' }] }],
    ['numeric without pairs', { detail: { count: [{ numeric: ['>'] }] } }],
    ['$or with one branch', { $or: [{ source: ['x'] }] }],
    ['exists with a string', { source: [{ exists: 'yes' }] }],
    ['a bad filter on an absent field', { detail: { missing: [{ numeric: ['~', 1] }] } }],
    ['a bad key after one that fails', { source: ['nope'], detail: { state: [{ prefix: 1 }] } }],
  ])('%s', (_name, pattern) => {
    expect(() => matchesEventPattern(pattern, event)).toThrow(InvalidEventPatternError);
  });

  test('the pattern must be an object', () => {
    expect(() => matchesEventPattern(['source'], event)).toThrow(InvalidEventPatternError);
  });
});

test('wildcards escape regular expression characters', () => {
  expect(matchWildcard('a.b', 'a.b')).toBe(true);
  expect(matchWildcard('a.b', 'axb')).toBe(false);
  expect(matchWildcard('a\\\\b', 'a\\b')).toBe(true);
  expect(matchWildcard('*', '')).toBe(true);
});
