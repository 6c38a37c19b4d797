/**
 * CloudFormation intrinsic functions, resolved to local values. Only what a
 * CDK-synthesized template uses in state machine definitions and function
 * environments is supported; anything else throws, naming the construct, so
 * that a token never leaks into a definition as "[object Object]".
 */

export type TemplateValue = unknown;

export interface TokenResolver {
  /** `Ref` to a resource, parameter or pseudo parameter. */
  ref(logicalId: string): string;
  /** `Fn::GetAtt` of a resource attribute. */
  getAtt(logicalId: string, attribute: string): string;
}

export class UnsupportedTemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asString(value: unknown, where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new UnsupportedTemplateError(`${where}: expected a string, got ${JSON.stringify(value)}`);
}

function getAttArguments(value: unknown): [string, string] {
  if (typeof value === 'string') {
    const dot = value.indexOf('.');
    if (dot > 0) return [value.slice(0, dot), value.slice(dot + 1)];
  }
  if (Array.isArray(value) && typeof value[0] === 'string' && typeof value[1] === 'string') {
    return [value[0], value[1]];
  }
  throw new UnsupportedTemplateError(`Fn::GetAtt: malformed arguments ${JSON.stringify(value)}`);
}

/** `Fn::Sub`: `${Name}`, `${Name.Attr}`, `${!Literal}` and an optional variable map. */
function substitute(body: unknown, resolver: TokenResolver): string {
  const parts: readonly unknown[] = Array.isArray(body) ? body : [body];
  const [text, rawVariables] = parts;
  const template = asString(text, 'Fn::Sub');
  const variables: Record<string, string> = {};
  if (isRecord(rawVariables)) {
    for (const [name, value] of Object.entries(rawVariables)) {
      variables[name] = asString(resolveValue(value, resolver), `Fn::Sub variable ${name}`);
    }
  }
  return template.replace(/\$\{([^}]+)\}/g, (_match, expression: string) => {
    if (expression.startsWith('!')) return `\${${expression.slice(1)}}`;
    const variable = variables[expression];
    if (variable !== undefined) return variable;
    const dot = expression.indexOf('.');
    return dot > 0 && !expression.startsWith('AWS::')
      ? resolver.getAtt(expression.slice(0, dot), expression.slice(dot + 1))
      : resolver.ref(expression);
  });
}

function resolveFunction(name: string, body: unknown, resolver: TokenResolver): unknown {
  switch (name) {
    case 'Ref':
      return resolver.ref(asString(body, 'Ref'));
    case 'Fn::GetAtt': {
      const [logicalId, attribute] = getAttArguments(body);
      return resolver.getAtt(logicalId, attribute);
    }
    case 'Fn::Join': {
      if (!Array.isArray(body) || typeof body[0] !== 'string') {
        throw new UnsupportedTemplateError(`Fn::Join: malformed arguments ${JSON.stringify(body)}`);
      }
      const parts = resolveValue(body[1], resolver);
      if (!Array.isArray(parts)) throw new UnsupportedTemplateError('Fn::Join: the list did not resolve');
      return parts.map((part) => asString(part, 'Fn::Join element')).join(body[0]);
    }
    case 'Fn::Sub':
      return substitute(body, resolver);
    case 'Fn::Select': {
      const [index, list] = resolveValue(body, resolver) as [unknown, unknown];
      if (!Array.isArray(list)) throw new UnsupportedTemplateError('Fn::Select: the list did not resolve');
      return list[Number(index)] as unknown;
    }
    case 'Fn::Split': {
      const [separator, text] = resolveValue(body, resolver) as [unknown, unknown];
      return asString(text, 'Fn::Split').split(asString(separator, 'Fn::Split separator'));
    }
    case 'Fn::Base64':
      return Buffer.from(asString(resolveValue(body, resolver), 'Fn::Base64')).toString('base64');
    default:
      throw new UnsupportedTemplateError(`${name} is not supported by the local template reader`);
  }
}

/** Resolves every intrinsic function in a template value, recursively. */
export function resolveValue(value: TemplateValue, resolver: TokenResolver): unknown {
  if (Array.isArray(value)) return value.map((item) => resolveValue(item, resolver));
  if (!isRecord(value)) return value;
  const keys = Object.keys(value);
  const only = keys.length === 1 ? keys[0] : undefined;
  if (only !== undefined && (only === 'Ref' || only.startsWith('Fn::') || only === 'Condition')) {
    return resolveFunction(only, value[only], resolver);
  }
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolveValue(item, resolver)]));
}

/** Resolves a value that must end up a string (a definition, an environment variable). */
export function resolveString(value: TemplateValue, resolver: TokenResolver, where: string): string {
  return asString(resolveValue(value, resolver), where);
}
