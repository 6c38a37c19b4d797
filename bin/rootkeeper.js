#!/usr/bin/env node
// The `rootkeeper` command: runs the TypeScript sources through tsx, so that
// `npx rootkeeper` works from a fresh clone without a build step.
'use strict';
// The SDK warns on every run that future versions will need Node 22; the
// project pins Node 20 (.nvmrc), and the warning would bury the command's own
// words on stderr. It can still be turned back on by setting the variable.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
require('tsx/cjs');
const { run } = require('../cli/main.ts');

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`error: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 3;
  },
);
