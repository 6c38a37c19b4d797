/** The sandbox clock: wall time plus an offset that tests can advance (session expiry, quotas). */
export interface SandboxClock {
  now(): number;
  advance(ms: number): void;
  set(epochMs: number): void;
}

export function createClock(start?: number | Date): SandboxClock {
  let offset = start === undefined ? 0 : new Date(start).getTime() - Date.now();
  return {
    now: () => Date.now() + offset,
    advance: (ms: number) => {
      offset += ms;
    },
    set: (epochMs: number) => {
      offset = epochMs - Date.now();
    },
  };
}
