import * as net from 'node:net';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

function hostOf(args: unknown[]): string | undefined {
  const [first, second] = args;
  // net.connect() and the HTTP agent pass their normalized arguments as one array.
  if (Array.isArray(first)) return hostOf(first as unknown[]);
  if (typeof first === 'object' && first !== null && !Array.isArray(first)) {
    const options = first as { host?: unknown; path?: unknown };
    if (typeof options.path === 'string') return undefined; // a Unix socket
    return typeof options.host === 'string' ? options.host : 'localhost';
  }
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    return typeof second === 'string' ? second : 'localhost';
  }
  return undefined;
}

/**
 * Refuses every TCP connection that is not to loopback while the test file
 * runs: an end-to-end test must never reach AWS, even by mistake (a queue
 * URL taken as an endpoint, a missing endpoint variable). Restored after the
 * file, since core modules are shared by the files of a jest worker.
 */
export function allowLoopbackOnly(): void {
  const original = net.Socket.prototype.connect;
  const guarded = function (this: net.Socket, ...args: unknown[]): net.Socket {
    const host = hostOf(args);
    if (host !== undefined && !LOOPBACK.has(host)) {
      throw new Error(`end-to-end tests stay on loopback: refused a connection to ${host}`);
    }
    return (original as (...a: unknown[]) => net.Socket).apply(this, args);
  };
  beforeAll(() => {
    net.Socket.prototype.connect = guarded;
  });
  afterAll(() => {
    net.Socket.prototype.connect = original;
  });
}
