/** STS (query protocol, 2011-06-15): AssumeRoot and GetCallerIdentity. */
import { randomBytes } from 'node:crypto';
import { authorize } from './authorization';
import type { RequestContext } from './context';
import { now } from './context';
import type { RootSession } from './model';
import type { Reply } from './protocol';
import { ApiError, QUERY_NAMESPACE, commonError, queryReply } from './protocol';
import { parseTaskPolicyArn, requiredFeature } from './task-policies';

const validation = (message: string): ApiError =>
  new ApiError('ValidationError', `1 validation error detected: ${message}`, 400);

const randomToken = (alphabet: string, length: number): string =>
  [...randomBytes(length)].map((byte) => alphabet.charAt(byte % alphabet.length)).join('');
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const SECRET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function assumeRoot(ctx: RequestContext, params: URLSearchParams): Reply {
  const { caller, world } = ctx;
  authorize('query', caller, 'sts:AssumeRoot');
  const org = world.organization;
  const mayAssume =
    caller.accountId === org.managementAccountId || org.delegatedAdministrators.has(caller.accountId);
  if (caller.kind !== 'principal' || !mayAssume) {
    throw commonError(
      'query',
      'AccessDenied',
      `User: ${caller.arn} is not authorized to perform: sts:AssumeRoot ` +
        '(only the management account or the delegated administrator for iam.amazonaws.com may)',
    );
  }
  const target = params.get('TargetPrincipal');
  const arn = params.get('TaskPolicyArn.arn');
  const durationText = params.get('DurationSeconds');
  if (!target)
    throw validation("Value null at 'targetPrincipal' failed to satisfy constraint: Member must not be null");
  if (!/^\d{12}$/.test(target)) {
    throw validation(
      `Value '${target}' at 'targetPrincipal' failed to satisfy constraint: Member must be an account id`,
    );
  }
  if (!arn)
    throw validation("Value null at 'taskPolicyArn' failed to satisfy constraint: Member must not be null");
  const task = parseTaskPolicyArn(arn, org.partition);
  if (!task)
    throw new ApiError('ValidationError', `The task policy ARN ${arn} is not a valid root task policy`, 400);
  const duration = durationText === null ? 900 : Number(durationText);
  if (!Number.isInteger(duration) || duration < 0 || duration > 900) {
    throw validation(
      `Value '${durationText}' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 900`,
    );
  }
  const account = world.accounts.get(target);
  const deny = (why: string): ApiError =>
    commonError(
      'query',
      'AccessDenied',
      `User: ${caller.arn} is not authorized to perform: sts:AssumeRoot: ${why}`,
    );
  if (target === org.managementAccountId) throw deny('the management account cannot be a target');
  if (!account) throw deny(`account ${target} is not a member of the organization`);
  if (account.status !== 'ACTIVE') throw deny(`account ${target} is ${account.status}`);
  const feature = requiredFeature(task);
  if (!org.trustedAccess.has('iam.amazonaws.com') || !org.features[feature]) {
    const name = feature === 'rootSessions' ? 'RootSessions' : 'RootCredentialsManagement';
    throw deny(`centralized root access feature ${name} is not enabled for the organization`);
  }
  const issuedAt = now(ctx);
  const session: RootSession = {
    accessKeyId: `ASIA${randomToken(UPPER, 16)}`,
    secretAccessKey: randomToken(SECRET, 40),
    sessionToken: `IQoJb3JpZ2luX2VjE${randomToken(SECRET, 300)}`,
    accountId: target,
    task,
    taskPolicyArn: arn,
    issuedAt,
    expiration: new Date(issuedAt.getTime() + duration * 1000),
    issuedTo: caller.arn,
  };
  world.sessions.set(session.accessKeyId, session);
  return queryReply(
    'AssumeRoot',
    QUERY_NAMESPACE.sts,
    [
      [
        'Credentials',
        [
          ['AccessKeyId', session.accessKeyId],
          ['SecretAccessKey', session.secretAccessKey],
          ['SessionToken', session.sessionToken],
          ['Expiration', session.expiration],
        ],
      ],
    ],
    ctx.requestId,
  );
}

function getCallerIdentity(ctx: RequestContext): Reply {
  const { caller } = ctx;
  const userId = caller.kind === 'root-session' ? caller.accountId : caller.userId;
  return queryReply(
    'GetCallerIdentity',
    QUERY_NAMESPACE.sts,
    [
      ['UserId', userId],
      ['Account', caller.accountId],
      ['Arn', caller.arn],
    ],
    ctx.requestId,
  );
}

export function handleSts(ctx: RequestContext, action: string, params: URLSearchParams): Reply {
  switch (action) {
    case 'AssumeRoot':
      return assumeRoot(ctx, params);
    case 'GetCallerIdentity':
      return getCallerIdentity(ctx);
    default:
      throw commonError(
        'query',
        'UnknownOperation',
        `Could not find operation ${action} for version 2011-06-15`,
      );
  }
}
