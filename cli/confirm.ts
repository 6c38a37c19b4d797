import confirm from '@inquirer/confirm';
import { UsageError } from './errors';

/**
 * Confirmation before a root action. On a terminal the engineer answers a
 * prompt (default "no", so a stray Enter does nothing); a script must say
 * --yes. Without a terminal and without --yes we refuse rather than guess,
 * because a pipeline that forgot --yes should fail loudly, not hang or act.
 */

export type PromptFn = (message: string) => Promise<boolean>;

export interface ConfirmOptions {
  readonly yes: boolean;
  /** Whether stdin is a terminal someone can answer on. */
  readonly interactive: boolean;
  readonly prompt?: PromptFn;
  /** The flag that confirms in a script (default --yes). */
  readonly flag?: string;
}

export type Confirmation = 'confirmed-by-flag' | 'confirmed' | 'declined';

function isPromptAbort(error: unknown): boolean {
  // Ctrl-C or a closed terminal at the prompt means "no".
  return error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError');
}

/** The prompt on stderr so that stdout carries only the result. */
const inquirerPrompt: PromptFn = async (message) => {
  try {
    return await confirm({ message, default: false }, { output: process.stderr });
  } catch (error) {
    if (isPromptAbort(error)) return false;
    throw error;
  }
};

/**
 * Refuses when nobody can answer and the flag is absent. Called before
 * anything is read too, so that a script that forgot --yes opens no root
 * session for a plan it could never confirm.
 */
export function assertConfirmable(options: Pick<ConfirmOptions, 'yes' | 'interactive' | 'flag'>): void {
  if (options.yes || options.interactive) return;
  const flag = options.flag ?? '--yes';
  throw new UsageError(
    flag,
    `stdin is not a terminal, so nobody can confirm; pass ${flag} to confirm in a script`,
  );
}

export async function confirmAction(message: string, options: ConfirmOptions): Promise<Confirmation> {
  if (options.yes) return 'confirmed-by-flag';
  assertConfirmable(options);
  const answer = await (options.prompt ?? inquirerPrompt)(message);
  return answer ? 'confirmed' : 'declined';
}
