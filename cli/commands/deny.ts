import type { Command } from 'commander';
import { registerDecision } from '../approval-commands';
import type { Runner } from '../program';

export function registerDeny(program: Command, run: Runner): void {
  registerDecision(program, run, false);
}
