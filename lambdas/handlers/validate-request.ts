import { InvalidInputError } from '../root-access/errors';
import { validateRequest, type QueueUrlOptions, type ValidatedRequest } from '../root-access/validation';
import { wrapHandler } from '../shared/handler';
import { queueUrlOptionsFromEnv } from '../shared/env';

export interface ValidateRequestEvent {
  readonly task: unknown;
  readonly request: unknown;
}

export function createValidateRequestHandler(options: QueueUrlOptions) {
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
