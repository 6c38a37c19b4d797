import type { LocalFunction } from '../template';

// Set by the Lambda runtime for the process, not read by handlers: applying
// it to this process would change how Node starts child processes.
const RUNTIME_ONLY = new Set(['NODE_OPTIONS']);

/**
 * The one environment every in-process handler sees. Handlers run
 * concurrently in one process, so per-function variables cannot be swapped
 * in and out around a call; instead the functions must agree on every
 * variable they share, and a disagreement stops the runner at start.
 */
export function unionEnvironment(
  functions: readonly LocalFunction[],
  region: string,
  overrides: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const union: Record<string, string> = {};
  const owner: Record<string, string> = {};
  for (const fn of functions) {
    for (const [key, value] of Object.entries(fn.environment)) {
      if (RUNTIME_ONLY.has(key) || key in overrides) continue;
      const existing = union[key];
      if (existing !== undefined && existing !== value) {
        throw new Error(
          `functions ${owner[key]} and ${fn.logicalId} disagree on ${key} ("${existing}" vs "${value}"): ` +
            'in-process handlers share one environment; pass an override to choose',
        );
      }
      union[key] = value;
      owner[key] = fn.logicalId;
    }
  }
  return { AWS_REGION: region, AWS_DEFAULT_REGION: region, ...union, ...overrides };
}

/** Sets the variables on process.env; returns a function that restores what was there. */
export function applyEnvironment(variables: Readonly<Record<string, string>>): () => void {
  const previous = new Map<string, string | undefined>();
  for (const [key, value] of Object.entries(variables)) {
    previous.set(key, process.env[key]);
    process.env[key] = value;
  }
  return () => {
    for (const [key, value] of previous) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}
