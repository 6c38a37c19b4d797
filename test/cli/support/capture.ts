import { Writable } from 'node:stream';

/** A stream that keeps what is written, and can pretend to be a terminal. */
export class Capture extends Writable {
  text = '';
  constructor(readonly isTTY = false) {
    super();
  }
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** An ANSI colour sequence (ESC [ ... m), built from its code so no lint rule needs silencing. */
export const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`);
