/**
 * What an organization audit costs on AWS, from counted usage and the
 * us-east-1 prices of aws-facts.md. STS, IAM and Organizations are free, so
 * the bill is Step Functions, Lambda and DynamoDB only.
 */

export interface Prices {
  readonly stepFunctionsPerTransition: number;
  readonly lambdaPerRequest: number;
  readonly lambdaPerGbSecond: number;
  readonly dynamoDbPerWriteUnit: number;
  readonly dynamoDbPerReadUnit: number;
}

/** aws-facts.md, us-east-1: Standard workflows, Lambda on arm64, DynamoDB on demand. */
export const US_EAST_1_ARM64: Prices = {
  stepFunctionsPerTransition: 0.025 / 1000,
  lambdaPerRequest: 0.2 / 1_000_000,
  lambdaPerGbSecond: 0.0000133334,
  dynamoDbPerWriteUnit: 0.625 / 1_000_000,
  dynamoDbPerReadUnit: 0.125 / 1_000_000,
};

export interface LambdaInvocation {
  readonly durationMs: number;
  readonly memoryMb: number;
}

export interface Usage {
  readonly accounts: number;
  readonly stateTransitions: number;
  readonly lambdaInvocations: readonly LambdaInvocation[];
  readonly writeUnits: number;
  readonly readUnits: number;
}

export interface CostBreakdown {
  readonly stepFunctions: number;
  readonly lambdaRequests: number;
  readonly lambdaCompute: number;
  readonly dynamoDb: number;
  readonly total: number;
  readonly gbSeconds: number;
  /** The same total scaled to 1,000 accounts (costs are linear in accounts). */
  readonly per1000Accounts: number;
}

/** Lambda bills each invocation's duration rounded up to the millisecond. */
export function gbSeconds(invocations: readonly LambdaInvocation[]): number {
  return invocations.reduce(
    (sum, { durationMs, memoryMb }) => sum + (Math.ceil(durationMs) / 1000) * (memoryMb / 1024),
    0,
  );
}

export function costOf(usage: Usage, prices: Prices = US_EAST_1_ARM64): CostBreakdown {
  const compute = gbSeconds(usage.lambdaInvocations);
  const stepFunctions = usage.stateTransitions * prices.stepFunctionsPerTransition;
  const lambdaRequests = usage.lambdaInvocations.length * prices.lambdaPerRequest;
  const lambdaCompute = compute * prices.lambdaPerGbSecond;
  const dynamoDb =
    usage.writeUnits * prices.dynamoDbPerWriteUnit + usage.readUnits * prices.dynamoDbPerReadUnit;
  const total = stepFunctions + lambdaRequests + lambdaCompute + dynamoDb;
  return {
    stepFunctions,
    lambdaRequests,
    lambdaCompute,
    dynamoDb,
    total,
    gbSeconds: compute,
    per1000Accounts: usage.accounts > 0 ? (total / usage.accounts) * 1000 : 0,
  };
}

/** DynamoDB on-demand units: a write unit per started KB, a strongly consistent read unit per 4 KB (half when eventually consistent). */
export function writeUnitsFor(itemBytes: number): number {
  return Math.max(1, Math.ceil(itemBytes / 1024));
}

export function readUnitsFor(itemBytes: number, consistent: boolean): number {
  const units = Math.max(1, Math.ceil(itemBytes / 4096));
  return consistent ? units : units / 2;
}
