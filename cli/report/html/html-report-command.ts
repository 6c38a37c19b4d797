import type { CliContext } from '../../context';
import { EXIT, type ExitCode } from '../../errors';
import { OUTPUT } from '../../stack-outputs';
import { readOuNames, readReportItems } from './read-report-items';
import { writeHtmlReport } from './write-html-report';

/**
 * `rootkeeper report --format html --out FILE`. The OU of each account comes
 * from Organizations when the caller may list it; without that permission
 * the report still renders, with every account under "OU unknown", and says so.
 */
export async function runHtmlReport(ctx: CliContext, since: string, out: string): Promise<ExitCode> {
  const table = (await ctx.outputs()).require(OUTPUT.resultsTable);
  const [items, ouOf] = await Promise.all([
    readReportItems(ctx.ddb, table, since),
    readOuNames(ctx.organizations).catch((error: unknown) => {
      ctx.out.warn(
        `OUs not shown (${error instanceof Error ? error.message : String(error)}): the report groups every account under "OU unknown"`,
      );
      return undefined;
    }),
  ]);
  const written = writeHtmlReport(
    items,
    { generatedAt: ctx.environment.now().toISOString(), since, ...(ouOf ? { ouOf } : {}) },
    out,
  );
  const { headline } = written.figures;
  const document = {
    ok: true,
    command: 'report',
    exitCode: EXIT.DONE,
    format: 'html',
    path: written.path,
    bytes: written.bytes,
    headline,
  };
  ctx.out.result(document, (printer) => {
    printer.line(`Wrote ${written.path} (${Math.ceil(written.bytes / 1024)} KiB)`);
    printer.line(
      `${headline.accounts} account(s): ${printer.colors.red(`${headline.withCredentials} with root credentials`)}, ` +
        `${headline.clean} clean, ${headline.notAudited} not audited`,
    );
  });
  return EXIT.DONE;
}
