import './promise-with-resolvers';
import { ExecutionError, StateMachine, type StateMachineDefinition } from './library';
import { StatesError } from './errors';
import type { Json } from './types';

/**
 * Evaluates a payload template (`.$` keys, JSONPath, intrinsic functions)
 * with the library's own evaluator, through a one-state Pass machine, so the
 * Distributed Map's ItemsPath and ItemSelector mean exactly what they mean
 * in the rest of the definition.
 */
export async function evaluateTemplate(
  template: Json,
  input: Json,
  context: Record<string, unknown>,
): Promise<Json> {
  const definition = {
    StartAt: 'Evaluate',
    States: { Evaluate: { Type: 'Pass', Parameters: template, End: true } },
  };
  const machine = new StateMachine(definition as unknown as StateMachineDefinition, {
    validationOptions: { noValidate: true },
  });
  try {
    return await machine.run(input, { context }).result;
  } catch (error) {
    const cause = error instanceof ExecutionError && error.cause instanceof Error ? error.cause : error;
    const failure = cause instanceof Error ? cause : new Error(String(cause));
    throw new StatesError(failure.name, failure.message);
  }
}

export async function evaluatePath(
  path: string,
  input: Json,
  context: Record<string, unknown>,
): Promise<Json> {
  const result = await evaluateTemplate({ 'value.$': path }, input, context);
  return (result as { value: Json }).value;
}
