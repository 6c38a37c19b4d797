import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context } from 'aws-lambda';
import { logger } from './logger';
import { publishWorkflowMetrics } from './metrics';

/**
 * Wraps a handler in middy with the Powertools logger. The event is never
 * logged (it may hold a policy document); errors are logged by name and
 * message only, and rethrown so Step Functions sees the error name.
 */
export function wrapHandler<TEvent, TResult>(
  name: string,
  run: (event: TEvent, context: Context) => Promise<TResult>,
) {
  return middy(async (event: TEvent, context: Context): Promise<TResult> => {
    try {
      return await run(event, context);
    } catch (error) {
      const { name: errorName, message } =
        error instanceof Error ? error : { name: 'UnknownError', message: String(error) };
      logger.error(`${name} failed`, { errorName, errorMessage: message });
      publishWorkflowMetrics(name, { failed: 1 });
      throw error;
    }
  }).use(injectLambdaContext(logger, { logEvent: false }));
}

/**
 * A handler's dependencies, built from the environment once per container on
 * first use (not at import: tests and the local runner import the module
 * before any environment exists). Every handler is
 * `createXHandler(deps = perContainer(xDepsFromEnv))`, wrapped by
 * wrapHandler; tests pass their own provider and go through the same middy
 * layer.
 */
export function perContainer<T>(build: () => T): () => T {
  let built: { readonly value: T } | undefined;
  return () => {
    built ??= { value: build() };
    return built.value;
  };
}
