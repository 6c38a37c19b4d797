/**
 * S3's input checks, answered with S3's REST-XML codes: the general purpose bucket naming rules of
 * the S3 User Guide ("General purpose bucket naming rules") → `InvalidBucketName` 400; the model's
 * required members (service-constraints.json) → `MissingRequestBodyError` 400 for an absent body
 * (PutBucketPolicy's Policy); other model constraints (enums, ranges) → `InvalidArgument` 400.
 */
import { violations } from './constraints';
import { ApiError } from './protocol';

/** Prefixes and suffixes the naming rules reserve (access point, Object Lambda, MRAP, directory aliases). */
const RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3'];

/** Why `name` breaks a general purpose bucket naming rule, or undefined when it follows them all. */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return 'must be between 3 and 63 characters long';
  if (!/^[a-z0-9.-]+$/.test(name))
    return 'can consist only of lowercase letters, numbers, periods and hyphens';
  if (!/^[a-z0-9].*[a-z0-9]$/.test(name)) return 'must begin and end with a letter or number';
  if (name.includes('..')) return 'must not contain two adjacent periods';
  if (/^\d{1,3}(?:\.\d{1,3}){3}$/.test(name)) return 'must not be formatted as an IP address';
  const prefix = RESERVED_PREFIXES.find((p) => name.startsWith(p));
  if (prefix) return `must not start with the reserved prefix ${prefix}`;
  const suffix = RESERVED_SUFFIXES.find((s) => name.endsWith(s));
  if (suffix) return `must not end with the reserved suffix ${suffix}`;
  return undefined;
}

/** Throws S3's error for a bucket name S3 would refuse. */
export function checkBucketName(name: string): void {
  const problem = bucketNameProblem(name);
  if (problem) {
    throw new ApiError(
      'InvalidBucketName',
      `The specified bucket is not valid. Bucket name ${problem}.`,
      400,
      {
        fields: { BucketName: name },
      },
    );
  }
}

/** Throws S3's error for an input the model's constraints refuse (`input` uses the model's member names). */
export function checkS3Input(operation: string, input: Record<string, unknown>): void {
  const [first] = violations('s3', operation, input);
  if (!first) return;
  if (first.reason === 'INPUT_REQUIRED') {
    throw new ApiError('MissingRequestBodyError', 'Request Body is empty', 400);
  }
  const name = first.path.charAt(0).toUpperCase() + first.path.slice(1);
  throw new ApiError('InvalidArgument', `${name}: ${first.constraint}`, 400, {
    fields: { ArgumentName: name, ArgumentValue: String(first.value) },
  });
}
