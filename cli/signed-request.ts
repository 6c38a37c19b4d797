import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, Checksum, SourceData } from '@smithy/types';

/** SHA-256 (or its HMAC with a secret) from node:crypto, in the shape SignatureV4 takes. */
class NodeSha256 implements Checksum {
  private hash: Hash | Hmac;

  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }

  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(this.secret));
  }

  update(data: SourceData): void {
    this.hash.update(toBuffer(data));
  }

  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }

  reset(): void {
    this.hash = this.fresh();
  }
}

function toBuffer(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

export interface SignedPost {
  readonly url: URL;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * A JSON POST signed with SigV4 for a Lambda function URL (service
 * `lambda`), as AWS documents for AuthType AWS_IAM: the signature covers the
 * method, path, query, the host and content-type headers and the body.
 */
export async function signedPost(
  url: URL,
  body: string,
  credentials: AwsCredentialIdentity,
  region: string,
  signingDate?: Date,
): Promise<SignedPost> {
  const signer = new SignatureV4({ service: 'lambda', region, credentials, sha256: NodeSha256 });
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port === '' ? {} : { port: Number(url.port) }),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { host: url.host, 'content-type': 'application/json' },
      body,
    },
    signingDate === undefined ? {} : { signingDate },
  );
  return { url, headers: signed.headers, body };
}
