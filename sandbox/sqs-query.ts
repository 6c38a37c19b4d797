/** The SQS query protocol of older clients (form-encoded Action=…, XML answers), over the same handlers. */
import type { RequestContext } from './context';
import type { Reply } from './protocol';
import { QUERY_NAMESPACE, queryReply } from './protocol';
import { runSqs } from './sqs';
import type { XmlNode } from './xml';

/** Form parameters → the JSON-protocol body (AttributeName.N, Attribute.N.Name/Value). */
function toJsonBody(params: URLSearchParams): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const names: string[] = [];
  const attributes: Record<string, string> = {};
  for (const [key, value] of params) {
    if (/^AttributeName\.\d+$/.test(key)) names.push(value);
    const attribute = /^Attribute\.(\d+)\.Name$/.exec(key);
    if (attribute) attributes[value] = params.get(`Attribute.${attribute[1]}.Value`) ?? '';
    if (['QueueName', 'QueueOwnerAWSAccountId', 'QueueNamePrefix', 'QueueUrl', 'NextToken'].includes(key)) {
      body[key] = value;
    }
    if (key === 'MaxResults') body[key] = Number(value);
  }
  if (names.length > 0) body.AttributeNames = names;
  if (Object.keys(attributes).length > 0) body.Attributes = attributes;
  return body;
}

/** The JSON-protocol result → the query result members (lists and maps flattened, as SQS writes them). */
function toXmlResult(result: Record<string, unknown>): XmlNode[] {
  const nodes: XmlNode[] = [];
  if (typeof result.QueueUrl === 'string') nodes.push(['QueueUrl', result.QueueUrl]);
  if (Array.isArray(result.QueueUrls))
    for (const url of result.QueueUrls) nodes.push(['QueueUrl', String(url)]);
  if (typeof result.NextToken === 'string') nodes.push(['NextToken', result.NextToken]);
  const attributes = (result.Attributes ?? {}) as Record<string, string>;
  for (const [name, value] of Object.entries(attributes)) {
    nodes.push([
      'Attribute',
      [
        ['Name', name],
        ['Value', value],
      ],
    ]);
  }
  return nodes;
}

export function handleSqsQuery(ctx: RequestContext, action: string, params: URLSearchParams): Reply {
  const result = runSqs(ctx, action, toJsonBody(params));
  return queryReply(action, QUERY_NAMESPACE.sqs, toXmlResult(result), ctx.requestId);
}
