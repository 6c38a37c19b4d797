import { readJsonPath } from './json-path';

/** A rule target's input settings, as in AWS::Events::Rule Targets. */
export interface TargetInputSettings {
  /** Constant JSON text sent instead of the event. */
  readonly input?: string;
  /** The part of the event to send. */
  readonly inputPath?: string;
  readonly inputTransformer?: {
    readonly inputPathsMap?: Readonly<Record<string, string>>;
    readonly inputTemplate: string;
  };
}

export interface TransformContext {
  readonly ruleArn: string;
  readonly ruleName: string;
  /** ISO 8601 time EventBridge received the event. */
  readonly ingestionTime: string;
}

/**
 * The text EventBridge delivers to a target for `event`: the event itself,
 * a constant, the part at InputPath, or the InputTemplate filled from
 * InputPathsMap. Exactly one of the three settings may be given, as AWS says.
 */
export function targetInput(
  settings: TargetInputSettings,
  event: unknown,
  context: TransformContext,
): string {
  const given = [settings.input, settings.inputPath, settings.inputTransformer].filter(
    (item) => item !== undefined,
  );
  if (given.length > 1) throw new Error('a target takes only one of Input, InputPath and InputTransformer');
  if (settings.input !== undefined) return settings.input;
  if (settings.inputPath !== undefined)
    return JSON.stringify(readJsonPath(event, settings.inputPath) ?? null);
  if (settings.inputTransformer !== undefined) {
    const { inputPathsMap = {}, inputTemplate } = settings.inputTransformer;
    return fillTemplate(inputTemplate, variables(inputPathsMap, event, context));
  }
  return JSON.stringify(event);
}

const PREDEFINED = 'aws.events.';

function variables(
  inputPathsMap: Readonly<Record<string, string>>,
  event: unknown,
  context: TransformContext,
): Map<string, { value: unknown; rawJsonOnly: boolean }> {
  const result = new Map<string, { value: unknown; rawJsonOnly: boolean }>();
  for (const [name, path] of Object.entries(inputPathsMap)) {
    if (name.toLowerCase().startsWith('aws.')) throw new Error(`InputPathsMap key ${name} is reserved`);
    result.set(name, { value: readJsonPath(event, path), rawJsonOnly: false });
  }
  const withoutDetail =
    typeof event === 'object' && event !== null
      ? Object.fromEntries(Object.entries(event).filter(([key]) => key !== 'detail'))
      : event;
  result.set(`${PREDEFINED}rule-arn`, { value: context.ruleArn, rawJsonOnly: false });
  result.set(`${PREDEFINED}rule-name`, { value: context.ruleName, rawJsonOnly: false });
  result.set(`${PREDEFINED}event.ingestion-time`, { value: context.ingestionTime, rawJsonOnly: false });
  // As documented: <aws.events.event> is the event without its detail,
  // <aws.events.event.json> the whole event; both are JSON field values only.
  result.set(`${PREDEFINED}event`, { value: withoutDetail, rawJsonOnly: true });
  result.set(`${PREDEFINED}event.json`, { value: event, rawJsonOnly: true });
  return result;
}

/**
 * Fills `<name>` placeholders. A placeholder outside a JSON string gets the
 * value as JSON (a string with its quotes, an object as an object); inside a
 * string it gets the value's text, escaped so that the result stays valid
 * JSON. A path that found nothing gives null outside a string and nothing
 * inside one. A template that is not JSON (plain text) gets raw text.
 * Unknown `<...>` text is left as it is (there is no escape for < and >).
 */
function fillTemplate(
  template: string,
  values: ReadonlyMap<string, { value: unknown; rawJsonOnly: boolean }>,
): string {
  const json = /^\s*[{["]/.test(template);
  let output = '';
  let inString = false;
  for (let index = 0; index < template.length; index += 1) {
    const char = template.charAt(index);
    if (char === '\\' && inString) {
      output += template.slice(index, index + 2);
      index += 1;
      continue;
    }
    if (char === '"') inString = !inString;
    if (char === '<') {
      const end = template.indexOf('>', index);
      const name = end === -1 ? undefined : template.slice(index + 1, end);
      const variable = name === undefined ? undefined : values.get(name);
      if (variable !== undefined && name !== undefined) {
        if (variable.rawJsonOnly && (inString || !json)) {
          throw new Error(`<${name}> can only be the value of a JSON field`);
        }
        output += render(variable.value, json && !inString, inString);
        index = end;
        continue;
      }
    }
    output += char;
  }
  return output;
}

function render(value: unknown, asJson: boolean, inString: boolean): string {
  if (asJson) return value === undefined ? 'null' : JSON.stringify(value);
  if (value === undefined) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return inString ? JSON.stringify(text).slice(1, -1) : text;
}
