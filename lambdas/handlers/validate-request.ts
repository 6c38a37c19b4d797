import { InvalidInputError } from '../root-access/errors';
import { validateRequest, type QueueUrlOptions, type ValidatedRequest } from '../root-access/validation';
import { wrapHandler } from '../shared/handler';
import { optionalVariable } from '../shared/env';

export interface ValidateRequestEvent {
  readonly task: unknown;
  readonly request: unknown;
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Loopback queue URLs are accepted only when the function itself talks to a
 * local endpoint (AWS_ENDPOINT_URL on 127.0.0.1 / localhost): in AWS they are
 * always refused.
 */
export function queueUrlOptionsFromEnv(env: Env): QueueUrlOptions {
  const endpoint = optionalVariable(env, 'AWS_ENDPOINT_URL');
  if (endpoint === undefined) return {};
  let host: string;
  try {
    host = new URL(endpoint).hostname;
  } catch {
    return {};
  }
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(host)) return {};
  return { loopbackRegion: optionalVariable(env, 'AWS_REGION') ?? 'us-east-1' };
}

export function createValidateRequestHandler(options: QueueUrlOptions = {}) {
  // A validation failure becomes a rejected promise, which Step Functions reports by its name.
  return (event: ValidateRequestEvent): Promise<ValidatedRequest> =>
    Promise.resolve().then(() => {
      if (typeof event !== 'object' || event === null) {
        throw new InvalidInputError('event', 'must be an object { task, request }');
      }
      return validateRequest(event.task, event.request, options);
    });
}

let run: ReturnType<typeof createValidateRequestHandler> | undefined;

export const handler = wrapHandler('ValidateRequest', (event: ValidateRequestEvent) => {
  run ??= createValidateRequestHandler(queueUrlOptionsFromEnv(process.env));
  return run(event);
});
