/** Runs a bench job in a child process (see worker.ts) and returns its answer. */
import { fork } from 'node:child_process';
import path from 'node:path';
import type { Job, WorkerMessage } from './worker';

type Answer = Exclude<WorkerMessage, { type: 'log' } | { type: 'error' }>;

export function runJob(job: Job, log: (line: string) => void, timeLimitMs: number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    // tsx's loader, whether the parent runs under tsx or under jest.
    const child = fork(path.join(__dirname, 'worker.ts'), [JSON.stringify(job)], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let answer: Answer | undefined;
    let failure: string | undefined;
    // Bounded: a job that hangs is killed, and the bench reports it.
    const timer = setTimeout(() => {
      failure = `job ${job.kind} exceeded ${timeLimitMs / 1000} s`;
      child.kill('SIGKILL');
    }, timeLimitMs);
    child.on('message', (message: WorkerMessage) => {
      if (message.type === 'log') log(message.line);
      else if (message.type === 'error') failure = message.message;
      else answer = message;
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (answer) resolve(answer);
      else reject(new Error(failure ?? `job ${job.kind} exited with code ${String(code)} and no answer`));
    });
  });
}
