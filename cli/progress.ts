import { SingleBar } from 'cli-progress';
import type { Output } from './output';

/**
 * Shows that something is happening while a workflow runs: a spinner with
 * the current state on a terminal, a progress bar when the workflow reports
 * item counts (the organization audit's Distributed Map), and one line per
 * new state when stderr is piped (CI logs). Nothing with --output json.
 */

export interface Progress {
  /** What the workflow is doing now (a state name). */
  status(text: string): void;
  /** Items done out of a total (map run counts). */
  count(done: number, total: number, unit: string): void;
  stop(): void;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const FRAME_MS = 100;

const silent: Progress = { status: () => undefined, count: () => undefined, stop: () => undefined };

function elapsed(startedAt: number): string {
  return `${Math.round((Date.now() - startedAt) / 1000)}s`;
}

/** Plain lines for a piped stderr: only when the status changes. */
function lineProgress(out: Output, label: string): Progress {
  let last = '';
  return {
    status: (text) => {
      if (text === last) return;
      last = text;
      out.note(`${label}: ${text}`);
    },
    count: (done, total, unit) => {
      const text = `${done}/${total} ${unit}`;
      if (text === last) return;
      last = text;
      out.note(`${label}: ${text}`);
    },
    stop: () => undefined,
  };
}

function terminalProgress(out: Output, label: string): Progress {
  const stream = out.progressStream;
  const startedAt = Date.now();
  let text = 'starting';
  let frame = 0;
  let bar: SingleBar | undefined;
  const draw = () => {
    if (bar !== undefined) return;
    frame = (frame + 1) % FRAMES.length;
    stream.write(
      `\r\x1b[2K${out.colors.cyan(FRAMES[frame] ?? '')} ${label} ${out.colors.dim(`· ${text} · ${elapsed(startedAt)}`)}`,
    );
  };
  const timer = setInterval(draw, FRAME_MS);
  timer.unref();
  return {
    status: (next) => {
      text = next;
      bar?.update({ text });
    },
    count: (done, total, unit) => {
      if (bar === undefined) {
        stream.write('\r\x1b[2K');
        bar = new SingleBar({
          stream,
          format: `${label} {bar} {value}/{total} ${unit} · {text}`,
          hideCursor: true,
          clearOnComplete: true,
        });
        bar.start(total, done, { text });
      }
      bar.setTotal(total);
      bar.update(done, { text });
    },
    stop: () => {
      clearInterval(timer);
      if (bar !== undefined) bar.stop();
      else stream.write('\r\x1b[2K');
    },
  };
}

export function startProgress(out: Output, label: string): Progress {
  if (out.json) return silent;
  return out.interactive ? terminalProgress(out, label) : lineProgress(out, label);
}
