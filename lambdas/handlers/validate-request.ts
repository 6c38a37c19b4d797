import { InvalidInputError } from '../root-access/errors';
import { validateRequest, type QueueUrlOptions, type ValidatedRequest } from '../root-access/validation';
import { perContainer, wrapHandler } from '../shared/handler';
import { queueUrlOptionsFromEnv } from '../shared/env';

export interface ValidateRequestEvent {
  readonly task: unknown;
  readonly request: unknown;
}

/** ValidateRequest: `{ task, request }` → the normalized request, or InvalidInputError naming the field. */
export function createValidateRequestHandler(
  options: () => QueueUrlOptions = perContainer(() => queueUrlOptionsFromEnv(process.env)),
) {
  // A validation failure becomes a rejected promise, which Step Functions reports by its name.
  return wrapHandler('ValidateRequest', (event: ValidateRequestEvent) =>
    Promise.resolve().then((): ValidatedRequest => {
      if (typeof event !== 'object' || event === null) {
        throw new InvalidInputError('event', 'must be an object { task, request }');
      }
      return validateRequest(event.task, event.request, options());
    }),
  );
}

export const handler = createValidateRequestHandler();
