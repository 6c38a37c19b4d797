import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/**
 * The service's CloudWatch metrics, written as Embedded Metric Format lines
 * by Powertools Metrics (CloudWatch extracts them from the function's log
 * group: no PutMetricData call, no permission). One line per invocation,
 * with the workflow as dimension. The dashboard (lib/dashboard.ts) reads the
 * same names from here.
 */
export const METRICS_NAMESPACE = 'Rootkeeper';
export const METRICS_SERVICE = 'rootkeeper';
export const WORKFLOW_DIMENSION = 'workflow';

export const WORKFLOW_METRICS = {
  accountsAudited: 'AccountsAudited',
  withCredentials: 'AccountsWithRootCredentials',
  remediated: 'AccountsRemediated',
  failed: 'Failures',
  sessionsOpened: 'RootSessionsOpened',
  /** Root access keys in use left in place by a delete (KEY_IN_USE runs): an alarm notifies. */
  keysInUseKept: 'RootKeysInUseKept',
} as const;

/** The delete function's metrics dimension (the keys-in-use alarm reads it). */
export const DELETE_FUNCTION_WORKFLOW = 'DeleteRootCredentials';

export type WorkflowCounts = Partial<Record<keyof typeof WORKFLOW_METRICS, number>>;

/** Publishes the counts of one invocation; zero counts are published too, so a quiet day reads 0, not missing. */
export function publishWorkflowMetrics(workflow: string, counts: WorkflowCounts): void {
  const metrics = new Metrics({
    namespace: METRICS_NAMESPACE,
    serviceName: METRICS_SERVICE,
    defaultDimensions: { [WORKFLOW_DIMENSION]: workflow },
  });
  for (const [key, value] of Object.entries(counts) as [keyof typeof WORKFLOW_METRICS, number][]) {
    metrics.addMetric(WORKFLOW_METRICS[key], MetricUnit.Count, value);
  }
  metrics.publishStoredMetrics();
}
