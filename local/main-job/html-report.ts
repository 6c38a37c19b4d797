import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { resolve } from 'node:path';
import { readOuNames } from '../../cli/report/html/read-report-items';
import { writeHtmlReport, type WrittenReport } from '../../cli/report/html/write-html-report';
import type { LocalStack } from '../local-stack';
import type { ResultItem } from './results-report';

/** Where `npm start` leaves the page (reports/ is ignored by git). */
const MAIN_JOB_HTML_REPORT = resolve(__dirname, '..', '..', 'reports', 'posture.html');
const WINDOW_MS = 30 * 86_400_000;

/** The HTML posture report of the main job's table, OUs read from the sandbox over the wire as the CLI does. */
export async function writeMainJobHtmlReport(
  stack: LocalStack,
  items: readonly ResultItem[],
): Promise<WrittenReport> {
  const organizations = new OrganizationsClient({
    region: stack.region,
    endpoint: stack.endpoints.sandbox,
    credentials: {
      accessKeyId: stack.sandbox.managementCredentials.accessKeyId,
      secretAccessKey: stack.sandbox.managementCredentials.secretAccessKey,
    },
  });
  try {
    const now = new Date();
    return writeHtmlReport(
      items,
      {
        generatedAt: now.toISOString(),
        since: new Date(now.getTime() - WINDOW_MS).toISOString(),
        ouOf: await readOuNames(organizations),
      },
      MAIN_JOB_HTML_REPORT,
    );
  } finally {
    organizations.destroy();
  }
}
