import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import type { Context } from 'aws-lambda';
import { lambdaContext } from '../lambda-context';
import type { LocalFunction } from '../template';
import { assertPayloadSize, StatesError } from './errors';
import type { Json } from './types';

type Handler = (event: unknown, context: Context) => unknown;

/** What Lambda reports for an error a Node.js handler throws: errorType is the error's name. */
function lambdaFunctionError(error: unknown): StatesError {
  const failure = error instanceof Error ? error : new Error(String(error));
  if (failure instanceof StatesError) return failure;
  const errorType = failure.name || 'Error';
  const cause = JSON.stringify({
    errorType,
    errorMessage: failure.message,
    trace: (failure.stack ?? '').split('\n'),
  });
  return new StatesError(errorType, cause);
}

/**
 * Runs the real handler modules in process, as Lambda would: a JSON copy of
 * the payload in, a JSON copy of the result out (what Lambda serializes),
 * errors reported by name, and the function's own timeout enforced.
 */
export class InProcessLambda {
  private readonly handlers = new Map<string, Promise<Handler>>();

  constructor(
    private readonly rootDir: string,
    private readonly enforceTimeouts: boolean,
  ) {}

  private load(fn: LocalFunction): Promise<Handler> {
    const entry = fn.spec?.entry;
    if (entry === undefined)
      return Promise.reject(new Error(`function ${fn.logicalId} has no catalog entry`));
    const cached = this.handlers.get(entry);
    if (cached !== undefined) return cached;
    const loading = import(path.resolve(this.rootDir, entry)).then((module: Record<string, unknown>) => {
      const nested = module.default as Record<string, unknown> | undefined;
      const handler = module.handler ?? nested?.handler;
      if (typeof handler !== 'function') throw new Error(`${entry} does not export a handler function`);
      return handler as Handler;
    });
    this.handlers.set(entry, loading);
    return loading;
  }

  async invoke(fn: LocalFunction, payload: Json): Promise<Json> {
    const event = JSON.stringify(payload);
    assertPayloadSize(event, 'Lambda payload');
    const handler = await this.load(fn);
    const requestId = randomUUID();
    const timeoutMs = fn.timeoutSeconds * 1000;
    const context = lambdaContext(fn, requestId, Date.now() + timeoutMs);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      if (!this.enforceTimeouts) return;
      timer = setTimeout(() => {
        const errorMessage = `RequestId: ${requestId} Error: Task timed out after ${fn.timeoutSeconds.toFixed(2)} seconds`;
        reject(
          new StatesError(
            'Sandbox.Timedout',
            JSON.stringify({ errorType: 'Sandbox.Timedout', errorMessage }),
          ),
        );
      }, timeoutMs);
    });
    try {
      const result = await Promise.race([Promise.resolve(handler(JSON.parse(event), context)), timeout]);
      const output = JSON.stringify(result ?? null);
      assertPayloadSize(output, 'Lambda result');
      return JSON.parse(output) as Json;
    } catch (error) {
      throw lambdaFunctionError(error);
    } finally {
      clearTimeout(timer);
    }
  }
}
