/**
 * The wire code and HTTP status of each error the served operations declare in AWS's service
 * models (`errors` of service-constraints.json, by scripts/extract-service-constraints.ts). Errors
 * the models leave without a status carry Smithy's default: 400 (client) or 500 (server).
 */
import models from './service-constraints.json';

type DeclaringService = 'sts' | 'iam' | 'organizations' | 'sqs';

const declared = models.errors as unknown as Record<
  DeclaringService,
  Record<string, [code: string, status: number]>
>;

/** [code, status] of `shape` as `service`'s model declares it; throws for an undeclared shape. */
export function declaredError(service: DeclaringService, shape: string): [code: string, status: number] {
  const row = declared[service][shape];
  if (!row) throw new Error(`${service} declares no error ${shape} for the operations the sandbox serves`);
  return row;
}

/** HTTP status of a declared error. */
export const declaredStatus = (service: DeclaringService, shape: string): number =>
  declaredError(service, shape)[1];
