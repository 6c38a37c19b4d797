/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: { allowJs: true }, diagnostics: false }],
  },
  // @middy/core is ESM only: let ts-jest turn it into CommonJS.
  transformIgnorePatterns: ['node_modules/(?!(@middy)/)'],
  setupFiles: ['<rootDir>/test/setup/polyfills.ts'],
  setupFilesAfterEnv: ['<rootDir>/test/setup/matchers.ts'],
  collectCoverageFrom: ['lambdas/root-access/**/*.ts'],
  coverageReporters: ['text-summary', 'text'],
  coverageThreshold: { 'lambdas/root-access/': { lines: 95 } },
  collectCoverage: true,
  testTimeout: 60000,
};
