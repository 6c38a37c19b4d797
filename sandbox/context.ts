/** What every service handler receives for one request. */
import type { Caller } from './authorization';
import type { SandboxClock } from './clock';
import type { World } from './model';

export interface RequestContext {
  world: World;
  clock: SandboxClock;
  /** The region of the request's SigV4 credential scope. */
  region: string;
  caller: Caller;
  requestId: string;
  /** The sandbox's own base URL (http://127.0.0.1:port). */
  endpoint: string;
  /** 'aws': https://sqs.<region>.amazonaws.com/<account>/<name>; 'endpoint': <endpoint>/<account>/<name>. */
  queueUrlStyle: 'aws' | 'endpoint';
}

export const now = (ctx: RequestContext): Date => new Date(ctx.clock.now());
