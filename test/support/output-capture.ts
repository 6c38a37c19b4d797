import { format } from 'node:util';

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

/**
 * Records everything written to stdout, stderr and the console (the
 * handlers' logs: the Powertools logger writes to stdout, or to the console
 * in dev mode) while a test runs, without echoing it.
 */
export class OutputCapture {
  private readonly chunks: string[] = [];
  private restore?: () => void;

  start(): this {
    const streams = [process.stdout, process.stderr];
    const originals = streams.map((stream) => stream.write.bind(stream));
    for (const stream of streams) {
      stream.write = (chunk: unknown, ...rest: unknown[]): boolean => {
        this.chunks.push(
          typeof chunk === 'string' ? chunk : Buffer.from(chunk as ArrayBuffer).toString('utf8'),
        );
        const callback = rest.find((item): item is () => void => typeof item === 'function');
        callback?.();
        return true;
      };
    }
    const consoleOriginals = CONSOLE_METHODS.map((method) => console[method]);
    for (const method of CONSOLE_METHODS) {
      console[method] = (...args: unknown[]) => {
        this.chunks.push(`${format(...args)}\n`);
      };
    }
    this.restore = () => {
      streams.forEach((stream, index) => (stream.write = originals[index] as typeof stream.write));
      CONSOLE_METHODS.forEach(
        (method, index) => (console[method] = consoleOriginals[index] as typeof console.log),
      );
    };
    return this;
  }

  stop(): string {
    this.restore?.();
    this.restore = undefined;
    return this.text;
  }

  /** Forgets what a test wrote on purpose (e.g. a secret planted to prove the scan finds it). */
  withdraw(text: string): void {
    const kept = this.text.split(text).join('');
    this.chunks.splice(0, this.chunks.length, kept);
  }

  get text(): string {
    return this.chunks.join('');
  }
}
