import { CommanderError, type Command } from 'commander';
import { CliContext, type Environment, type GlobalOptions } from './context';
import { EXIT, type ExitCode } from './errors';
import { toCliError } from './exit-codes';
import { Output, type OutputFormat } from './output';
import { useProfile } from './profile';
import { buildProgram } from './program';

/**
 * Entry point: parse, run one command, turn any failure into its exit code.
 * The exit code is returned, not applied, so tests can call `run` in process.
 */

function defaultEnvironment(): Environment {
  return {
    env: process.env,
    cwd: process.cwd(),
    streams: { stdout: process.stdout, stderr: process.stderr },
    stdinIsTTY: process.stdin.isTTY === true,
    now: () => new Date(),
    signals: process,
  };
}

/** --output as typed, for errors raised before commander has parsed it. */
function outputFormatIn(argv: readonly string[]): OutputFormat {
  for (const [index, arg] of argv.entries()) {
    if (arg === '--output=json' || arg === '-ojson') return 'json';
    if ((arg === '--output' || arg === '-o') && argv[index + 1] === 'json') return 'json';
  }
  return 'human';
}

export async function run(
  argv: readonly string[],
  environment: Environment = defaultEnvironment(),
): Promise<ExitCode> {
  let exitCode: ExitCode = EXIT.DONE;
  const fallbackOutput = () => new Output(outputFormatIn(argv), environment.streams, environment.env);

  const runner = async (command: Command, body: (ctx: CliContext) => Promise<ExitCode>) => {
    const options = command.optsWithGlobals<GlobalOptions>();
    const out = new Output(options.output, environment.streams, environment.env);
    let ctx: CliContext | undefined;
    try {
      if (options.profile !== undefined && options.local !== true)
        await useProfile(options.profile, environment.env);
      ctx = new CliContext(options, environment, out);
      exitCode = await body(ctx);
    } catch (error) {
      const failure = toCliError(error);
      out.error(failure);
      exitCode = failure.exitCode;
    } finally {
      ctx?.destroy();
    }
  };

  try {
    await buildProgram(runner, { ...environment.streams, env: environment.env }).parseAsync([...argv], {
      from: 'user',
    });
  } catch (error) {
    if (error instanceof CommanderError && (error.exitCode === 0 || error.code === 'commander.helpDisplayed'))
      return EXIT.DONE;
    if (error instanceof CommanderError && error.code === 'commander.help') return EXIT.USAGE;
    // Commander already printed its message; JSON callers still get their one document.
    const failure = toCliError(error);
    const out = fallbackOutput();
    if (error instanceof CommanderError) {
      if (out.json) out.error(failure);
    } else {
      out.error(failure);
    }
    return failure.exitCode;
  }
  return exitCode;
}
