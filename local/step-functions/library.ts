import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type * as Library from 'aws-local-stepfunctions';

/*
 * aws-local-stepfunctions, with its intrinsic functions made faithful.
 *
 * The library (3.0.0) removes every backslash from every string an
 * intrinsic function returns (BaseIntrinsicFunction.call), to undo the
 * escapes of string literals (`\'`, `\{`, `\}`, `\\`). That also removes the
 * backslashes of the values: `States.JsonToString` of an object holding a
 * policy document gives `{"policy":"{"Version":...}"}`, which is not JSON,
 * where Step Functions gives `{"policy":"{\"Version\":...}"}`.
 *
 * Step Functions unescapes only the string literals of the expression. So
 * here: a literal argument is unescaped when it is parsed, results are left
 * alone, and States.Format finds its `{}` placeholders in the template as
 * written (an escaped `\{\}` is text) and unescapes the template's text, not
 * the values it inserts.
 *
 * Its hash functions (3.0.0, written in JavaScript) are wrong for any input
 * of 56 bytes or more (one block and its padding only): `States.Hash` of two
 * execution ARNs that differ after the 55th byte gives the same digest, so
 * names derived from them collide. Here `States.Hash` uses node:crypto, with
 * the library's own argument checks (10,000 characters at most, the five
 * algorithms of Step Functions).
 *
 * The library exports only its classes, so its CommonJS build is loaded
 * here with its intrinsic-function internals exposed, and every part of the
 * local runner takes StateMachine and the errors from this module.
 */

type IntrinsicArgs = readonly string[];

interface IntrinsicFunction {
  funcDefinition: unknown;
  execute: (this: IntrinsicFunction, ...args: unknown[]) => unknown;
  call(input: unknown, context: unknown, ...args: IntrinsicArgs): unknown;
}

interface Internals {
  readonly BaseIntrinsicFunction: { prototype: IntrinsicFunction };
  readonly StatesFormat: { prototype: IntrinsicFunction };
  readonly StatesHash: { prototype: IntrinsicFunction };
  readonly StatesRuntimeError: new (message: string) => Error;
  readonly parseArguments: (input: unknown, context: unknown, ...args: IntrinsicArgs) => unknown[];
  readonly validateArguments: (definition: unknown, ...args: unknown[]) => void;
}

const INTERNALS = [
  'BaseIntrinsicFunction',
  'StatesFormat',
  'StatesHash',
  'StatesRuntimeError',
  'parseArguments',
  'validateArguments',
] as const;

function isLiteral(arg: string): boolean {
  return arg.startsWith("'");
}

/** The text of a string literal argument as written, escapes kept. */
function rawLiteral(arg: string): string {
  return arg.slice(1, arg.lastIndexOf("'"));
}

/** Undoes the escapes of a string literal: `\x` is `x`. */
export function unescapeLiteral(text: string): string {
  return text.replace(/\\(.)/gs, '$1');
}

/**
 * States.Format's template cut at its `{}` placeholders (an escaped `\{\}`
 * of a literal is text), the literal's escapes undone in each piece.
 */
export function templatePieces(template: string, escaped: boolean): string[] {
  const pieces: string[] = [];
  let text = '';
  for (let i = 0; i < template.length; i++) {
    const char = template[i] ?? '';
    if (escaped && char === '\\' && i + 1 < template.length) {
      text += template[i + 1];
      i++;
    } else if (char === '{' && template[i + 1] === '}') {
      pieces.push(text);
      text = '';
      i++;
    } else {
      text += char;
    }
  }
  pieces.push(text);
  return pieces;
}

function load(): { library: typeof Library; internals: Internals } {
  const entry = require.resolve('aws-local-stepfunctions');
  const directory = path.dirname(entry);
  const source = readFileSync(entry, 'utf8');
  for (const name of INTERNALS) {
    if (!new RegExp(`^(var|function) ${name}\\b`, 'm').test(source)) {
      throw new Error(
        `aws-local-stepfunctions (${entry}) has no ${name}: the intrinsic-function fix in local/step-functions/library.ts must be updated for this version`,
      );
    }
  }
  const module = { exports: {} as Record<string, unknown> };
  // The library's own dependencies, resolved from its directory (it has nested ones).
  const requireFromLibrary = (id: string): unknown =>
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- this module's require (Jest's in tests), resolving from the library
    require(require.resolve(id, { paths: [directory] }));
  const body = `${source}\n;module.exports.__internals = { ${INTERNALS.join(', ')} };\n//# sourceURL=${entry}`;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the library's own code, from node_modules
  const run = new Function('exports', 'require', 'module', '__filename', '__dirname', body) as (
    ...args: unknown[]
  ) => void;
  run(module.exports, requireFromLibrary, module, entry, directory);
  const { __internals, ...library } = module.exports;
  return { library: library as unknown as typeof Library, internals: __internals as Internals };
}

/** Step Functions' algorithm names → node:crypto's. */
const HASH_ALGORITHMS: Readonly<Record<string, string>> = {
  MD5: 'md5',
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

function correctIntrinsics(internals: Internals): void {
  const {
    BaseIntrinsicFunction,
    StatesFormat,
    StatesHash,
    StatesRuntimeError,
    parseArguments,
    validateArguments,
  } = internals;
  const parse = (input: unknown, context: unknown, arg: string): unknown =>
    isLiteral(arg) ? unescapeLiteral(rawLiteral(arg)) : parseArguments(input, context, arg)[0];

  BaseIntrinsicFunction.prototype.call = function call(input, context, ...args) {
    const parsed = args.map((arg) => parse(input, context, arg));
    validateArguments(this.funcDefinition, ...parsed);
    return this.execute(...parsed);
  };

  StatesFormat.prototype.call = function call(input, context, ...args) {
    const [template = '', ...rest] = args;
    const values = rest.map((arg) => parse(input, context, arg));
    const escaped = isLiteral(template);
    const text = escaped ? rawLiteral(template) : parseArguments(input, context, template)[0];
    validateArguments(this.funcDefinition, escaped ? unescapeLiteral(String(text)) : text, ...values);
    const pieces = templatePieces(String(text), escaped);
    if (pieces.length - 1 !== values.length) {
      throw new StatesRuntimeError('Number of arguments in States.Format do not match the occurrences of {}');
    }
    return pieces.reduce((result, piece, index) => `${result}${String(values[index - 1])}${piece}`);
  };

  const libraryHash = StatesHash.prototype.execute;
  StatesHash.prototype.execute = function execute(data: unknown, algorithm: unknown) {
    // The library's checks (length, algorithm name) and errors first; then a correct digest.
    libraryHash.call(this, data, algorithm);
    return createHash(HASH_ALGORITHMS[String(algorithm)] ?? 'md5')
      .update(String(data), 'utf8')
      .digest('hex');
  };
}

const { library, internals } = load();
correctIntrinsics(internals);

export const { StateMachine, ExecutionError, ExecutionTimeoutError } = library;
export type StateMachine = Library.StateMachine;
export type ExecutionError = Library.ExecutionError;
export type ExecutionTimeoutError = Library.ExecutionTimeoutError;
export type { RunOptions, StateMachineDefinition } from 'aws-local-stepfunctions';
