import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { GlobalConfig } from 'jest';
import typeCheckSelectedTests from './type-check';

/**
 * A type error in a test fails the jest run that selected it (ts-jest only
 * transpiles): the globalSetup type-checks the selected test files, in a
 * project of their own here.
 */
describe('the type check of the selected tests', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'rootkeeper-type-check-'));
  const skip = process.env.ROOTKEEPER_SKIP_TEST_TYPECHECK;

  beforeAll(() => {
    mkdirSync(path.join(root, 'test'));
    writeFileSync(
      path.join(root, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { strict: true, noEmit: true, types: [] }, include: ['test'] }),
    );
    writeFileSync(path.join(root, 'test', 'typed.test.ts'), 'export const count: number = 1;\n');
    writeFileSync(path.join(root, 'test', 'mistyped.test.ts'), "export const count: number = 'one';\n");
    // The check is what this file tests: it must run even when the suite skips it.
    delete process.env.ROOTKEEPER_SKIP_TEST_TYPECHECK;
  });

  afterAll(() => {
    if (skip !== undefined) process.env.ROOTKEEPER_SKIP_TEST_TYPECHECK = skip;
    rmSync(root, { recursive: true, force: true });
  });

  const selecting = (name: string) =>
    ({
      rootDir: root,
      testPathPatterns: { toExecutor: () => ({ isMatch: (file: string) => path.basename(file) === name }) },
    }) as unknown as GlobalConfig;

  test('a selected test with a type error fails the run, naming the file and the error', () => {
    expect(() => typeCheckSelectedTests(selecting('mistyped.test.ts'))).toThrow(
      /type errors in the tests[\s\S]*mistyped\.test\.ts[\s\S]*not assignable to type 'number'/,
    );
  });

  test('a well-typed selection passes, and a test not selected is not checked', () => {
    expect(() => typeCheckSelectedTests(selecting('typed.test.ts'))).not.toThrow();
    expect(() => typeCheckSelectedTests(selecting('nothing.test.ts'))).not.toThrow();
  });
});
