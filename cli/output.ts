import pc from 'picocolors';
import Table from 'cli-table3';
import { adviceFor } from './advice';
import type { CliError } from './errors';
import { SCHEMA_VERSION } from './schema-version';

/**
 * The one place that writes to the terminal. Results go to stdout, exactly
 * once: a JSON document with `--output json` (scripts parse it), text
 * otherwise. Prompts, progress and notices go to stderr so they never mix
 * into what a script reads. Tables get borders and colours only on a
 * terminal; piped human output stays plain and aligned for grep and awk.
 */

export type OutputFormat = 'human' | 'json';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['human', 'json'];

export type OutStream = NodeJS.WritableStream & { readonly isTTY?: boolean };

export interface Streams {
  readonly stdout: OutStream;
  readonly stderr: OutStream;
}

export type Colors = ReturnType<typeof pc.createColors>;

/** Writes human text to stdout. */
export interface Printer {
  readonly colors: Colors;
  line(text?: string): void;
  table(head: readonly string[], rows: readonly (readonly string[])[]): void;
  /** Aligned "key  value" lines. */
  fields(pairs: readonly (readonly [string, string | undefined])[]): void;
}

function colorsEnabled(stream: OutStream, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}

const PLAIN_CHARS = {
  top: '',
  'top-mid': '',
  'top-left': '',
  'top-right': '',
  bottom: '',
  'bottom-mid': '',
  'bottom-left': '',
  'bottom-right': '',
  left: '',
  'left-mid': '',
  mid: '',
  'mid-mid': '',
  right: '',
  'right-mid': '',
  middle: '  ',
};

export function renderTable(
  head: readonly string[],
  rows: readonly (readonly string[])[],
  boxed: boolean,
): string {
  const table = boxed
    ? new Table({ head: [...head], style: { head: [], border: [], compact: true } })
    : new Table({
        head: [...head],
        chars: PLAIN_CHARS,
        style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
      });
  table.push(...rows.map((row) => [...row]));
  return table
    .toString()
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n');
}

export class Output {
  readonly colors: Colors;
  private emitted = false;

  constructor(
    readonly format: OutputFormat,
    private readonly streams: Streams,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.colors = pc.createColors(format === 'human' && colorsEnabled(streams.stdout, env));
  }

  get json(): boolean {
    return this.format === 'json';
  }

  /** Whether progress can be drawn (spinner, bar): a terminal on stderr, human output. */
  get interactive(): boolean {
    return !this.json && this.streams.stderr.isTTY === true;
  }

  /** A notice for the person at the terminal (stderr); silent with --output json. */
  note(text: string): void {
    if (!this.json) this.streams.stderr.write(`${text}\n`);
  }

  /** A warning for whoever reads the log (stderr), also with --output json: stdout stays the one document. */
  warn(text: string): void {
    this.streams.stderr.write(`${text}\n`);
  }

  /** Raw access for progress renderers, which own their lines on stderr. */
  get progressStream(): OutStream {
    return this.streams.stderr;
  }

  /**
   * The output of one part of a command that runs several (one account of
   * several): its human text goes through as it comes; its JSON document is
   * kept, for the whole command's one document.
   */
  part(): { readonly out: Output; readonly document: () => Record<string, unknown> | undefined } {
    let captured = '';
    const keep = {
      write: (text: string) => ((captured += text), true),
      isTTY: false,
    } as unknown as OutStream;
    const out = new Output(
      this.format,
      { stderr: this.streams.stderr, stdout: this.json ? keep : this.streams.stdout },
      this.env,
    );
    return {
      out,
      document: () => {
        if (out.kept !== undefined) return { schemaVersion: SCHEMA_VERSION, ...out.kept };
        return captured === '' ? undefined : (JSON.parse(captured) as Record<string, unknown>);
      },
    };
  }

  /** The result document, kept for the command that runs this part (human output too). */
  private kept: Record<string, unknown> | undefined;

  /** The command's result: one JSON document, or the human rendering. Only the first call counts. */
  result(document: unknown, human: (printer: Printer) => void): void {
    if (this.emitted) return;
    this.emitted = true;
    if (typeof document === 'object' && document !== null && !Array.isArray(document))
      this.kept = document as Record<string, unknown>;
    if (this.json) {
      // Every document carries the schema version, whichever command made it.
      const versioned =
        typeof document === 'object' && document !== null && !Array.isArray(document)
          ? { schemaVersion: SCHEMA_VERSION, ...document }
          : document;
      this.streams.stdout.write(`${JSON.stringify(versioned, null, 2)}\n`);
      return;
    }
    human(this.printer());
  }

  /** A failure: the JSON error document on stdout (if no result went out), the words on stderr. */
  error(error: CliError): void {
    const colors = pc.createColors(colorsEnabled(this.streams.stderr, process.env));
    this.streams.stderr.write(`${colors.red('error:')} ${error.message}\n`);
    if (this.json && !this.emitted) {
      this.emitted = true;
      const document = {
        schemaVersion: SCHEMA_VERSION,
        ok: false,
        exitCode: error.exitCode,
        error: {
          name: error.name,
          message: error.message,
          advice: adviceFor(error.name),
          kind: error.kind,
          ...error.details,
        },
      };
      this.streams.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    }
  }

  private printer(): Printer {
    const write = (text: string) => this.streams.stdout.write(`${text}\n`);
    const boxed = this.streams.stdout.isTTY === true;
    return {
      colors: this.colors,
      line: (text = '') => write(text),
      table: (head, rows) =>
        write(
          renderTable(
            head.map((cell) => this.colors.bold(cell)),
            rows,
            boxed,
          ),
        ),
      fields: (pairs) => {
        const present = pairs.filter((pair): pair is readonly [string, string] => pair[1] !== undefined);
        const width = Math.max(0, ...present.map(([key]) => key.length));
        for (const [key, value] of present) write(`  ${this.colors.dim(key.padEnd(width))}  ${value}`);
      },
    };
  }
}
