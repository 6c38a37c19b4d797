import path from 'node:path';
import type { GlobalConfig } from 'jest';
import ts from 'typescript';

/**
 * Jest's globalSetup: type-checks the test files this run selected, and the
 * test helpers they import, with the project's tsconfig.json, once per run;
 * any error fails the run. ts-jest only transpiles (the tsconfig sets
 * isolatedModules; per-file diagnostics would check each file's imports again
 * in every worker), so without this a type error in a test passed a bare
 * `npx jest test/some.test.ts`.
 *
 * It costs a few seconds for a small test, a minute or more for one that
 * builds the CDK app on a loaded machine (an incremental program over the
 * whole project was slower still: it computes every file's signature).
 * Product code outside test/ is `npm run typecheck`'s (tsc); `npm run check`
 * runs tsc over everything first and sets ROOTKEEPER_SKIP_TEST_TYPECHECK=1
 * so that jest does not check the tests a second time.
 */
export default function typeCheckSelectedTests(globalConfig: GlobalConfig): void {
  if (process.env.ROOTKEEPER_SKIP_TEST_TYPECHECK === '1') return;
  const rootDir = globalConfig.rootDir;
  const testRoot = path.join(rootDir, 'test') + path.sep;
  const inTests = (file: string): boolean => path.resolve(file).startsWith(testRoot);
  const configPath = path.join(rootDir, 'tsconfig.json');
  const parsed = ts.getParsedCommandLineOfConfigFile(
    configPath,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  );
  if (parsed === undefined) throw new Error(`cannot read ${configPath}`);
  const selected = globalConfig.testPathPatterns.toExecutor({ rootDir });
  const testFiles = parsed.fileNames.filter(
    (file) => inTests(file) && file.endsWith('.test.ts') && selected.isMatch(path.resolve(file)),
  );
  if (testFiles.length === 0) return;

  // The setup files too: test/setup/matchers.ts declares the aws-sdk-client-mock matchers.
  const setupFiles = parsed.fileNames.filter(
    (file) => inTests(file) && file.includes(`${path.sep}setup${path.sep}`),
  );
  const program = ts.createProgram({ rootNames: [...testFiles, ...setupFiles], options: parsed.options });
  // The selected tests and the helpers they import (every file of the program under test/).
  const diagnostics = program
    .getSourceFiles()
    .filter((source) => inTests(source.fileName))
    .flatMap((source) => [
      ...program.getSyntacticDiagnostics(source),
      ...program.getSemanticDiagnostics(source),
    ]);
  if (diagnostics.length === 0) return;
  const report = ts.formatDiagnostics(diagnostics, {
    getCanonicalFileName: (fileName) => fileName,
    getCurrentDirectory: () => rootDir,
    getNewLine: () => '\n',
  });
  throw new Error(`type errors in the tests (fix them, or run npm run typecheck):\n${report}`);
}
