/**
 * Regenerates sandbox/service-constraints.json: the input constraints (required members, min/max
 * length and value, patterns, enums) of every operation the sandbox serves, copied from AWS's
 * published service models as botocore ships them (Apache-2.0, generated from AWS's Smithy models;
 * the npm packages carry no constraints: SDK v3 clients strip them, the aws-sdk v2 `apis` are frozen
 * and predate sts:AssumeRoot). Needs a Python with botocore (`pip install botocore`); CI does not run
 * it: the extracted file is committed.
 *
 *   npx tsx scripts/extract-service-constraints.ts && npx prettier --write sandbox/service-constraints.json
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { MemberConstraints } from '../sandbox/constraints';

const OPERATIONS: Record<string, string[]> = {
  sts: ['AssumeRoot', 'GetCallerIdentity'],
  iam: [
    'GetAccountSummary',
    'GetUser',
    'GetLoginProfile',
    'CreateLoginProfile',
    'DeleteLoginProfile',
    'ListAccessKeys',
    'GetAccessKeyLastUsed',
    'DeleteAccessKey',
    'ListSigningCertificates',
    'DeleteSigningCertificate',
    'ListMFADevices',
    'DeactivateMFADevice',
    'DeleteVirtualMFADevice',
    'ListOrganizationsFeatures',
    'EnableOrganizationsRootCredentialsManagement',
    'EnableOrganizationsRootSessions',
  ],
  organizations: [
    'DescribeOrganization',
    'ListAccounts',
    'DescribeAccount',
    'ListPolicies',
    'DescribePolicy',
    'ListTargetsForPolicy',
    'ListRoots',
    'ListParents',
    'ListChildren',
    'ListOrganizationalUnitsForParent',
    'ListAccountsForParent',
    'EnableAWSServiceAccess',
    'ListAWSServiceAccessForOrganization',
    'RegisterDelegatedAdministrator',
    'ListDelegatedAdministrators',
  ],
  sqs: ['GetQueueUrl', 'ListQueues', 'GetQueueAttributes', 'SetQueueAttributes'],
  // S3's model names required members (PutBucketPolicy's Policy) and enums, but no bucket-name rule:
  // those are S3's documented naming rules, in sandbox/s3-validation.ts.
  s3: ['ListBuckets', 'GetBucketPolicy', 'PutBucketPolicy', 'DeleteBucketPolicy'],
};

interface Shape {
  type: string;
  exception?: boolean;
  error?: { code?: string; httpStatusCode?: number; senderFault?: boolean };
  fault?: boolean;
  required?: string[];
  members?: Record<string, { shape: string }>;
  member?: { shape: string };
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
}

function constraintsOf(shapes: Record<string, Shape>, name: string, depth = 0): MemberConstraints {
  const shape = shapes[name];
  if (!shape) throw new Error(`no shape ${name}`);
  const out: MemberConstraints = { type: shape.type };
  for (const key of ['min', 'max', 'pattern', 'enum'] as const) {
    if (shape[key] !== undefined) (out as unknown as Record<string, unknown>)[key] = shape[key];
  }
  if (depth > 4) return out;
  if (shape.type === 'structure') {
    if (shape.required?.length) out.required = shape.required;
    out.members = Object.fromEntries(
      Object.entries(shape.members ?? {}).map(([m, ref]) => [m, constraintsOf(shapes, ref.shape, depth + 1)]),
    );
  }
  if (shape.type === 'list' && shape.member)
    out.member = constraintsOf(shapes, shape.member.shape, depth + 1);
  if (shape.type === 'map') delete out.members;
  return out;
}

const botocore = execFileSync(
  'python3',
  ['-c', 'import botocore, os; print(os.path.dirname(botocore.__file__))'],
  { encoding: 'utf8' },
).trim();
const version = execFileSync('python3', ['-c', 'import botocore; print(botocore.__version__)'], {
  encoding: 'utf8',
}).trim();

const result: Record<string, unknown> = {
  source: `botocore ${version} data/<service>/<version>/service-2.json (Apache-2.0)`,
};
const errors: Record<string, unknown> = {};
for (const [service, operations] of Object.entries(OPERATIONS)) {
  const dir = join(botocore, 'data', service);
  const apiVersion = readdirSync(dir).sort().pop() ?? '';
  const model = JSON.parse(
    gunzipSync(readFileSync(join(dir, apiVersion, 'service-2.json.gz'))).toString(),
  ) as {
    operations: Record<string, { input?: { shape: string }; errors?: { shape: string }[] }>;
    shapes: Record<string, Shape>;
  };
  const declared = new Set(
    operations.flatMap((operation) => (model.operations[operation]?.errors ?? []).map((e) => e.shape)),
  );
  errors[service] = errorsOf(model.shapes, declared);
  result[service] = Object.fromEntries(
    operations.map((operation) => {
      const input = model.operations[operation]?.input?.shape;
      if (!model.operations[operation]) throw new Error(`${service} has no operation ${operation}`);
      return [operation, input ? constraintsOf(model.shapes, input) : { type: 'structure', members: {} }];
    }),
  );
}
/**
 * The errors the served operations declare, with their wire code and HTTP status. A shape without
 * `error.httpStatusCode` gets Smithy's default ("error structures with no httpError trait use the
 * default HTTP status code of the error trait": 400 for client errors, 500 for server errors), and
 * its shape name as the code.
 */
function errorsOf(shapes: Record<string, Shape>, names: Set<string>): Record<string, [string, number]> {
  return Object.fromEntries(
    [...names].sort().map((name) => {
      const shape = shapes[name];
      const server = shape?.fault === true || shape?.error?.senderFault === false;
      const status = shape?.error?.httpStatusCode ?? (server ? 500 : 400);
      return [name, [shape?.error?.code ?? name, status]];
    }),
  );
}
const target = join(__dirname, '..', 'sandbox', 'service-constraints.json');
writeFileSync(target, `${JSON.stringify({ ...result, errors }, null, 2)}\n`);
console.log(`wrote ${target}`);
