import { randomUUID } from 'node:crypto';

/** The HTTP metadata Step Functions adds to an AWS SDK integration's result. */
export function sdkMetadata(contentType: string): Record<string, unknown> {
  const requestId = randomUUID();
  const headers = { 'Content-Type': contentType, 'x-amzn-RequestId': requestId };
  return {
    SdkHttpMetadata: {
      AllHttpHeaders: Object.fromEntries(Object.entries(headers).map(([key, value]) => [key, [value]])),
      HttpHeaders: headers,
      HttpStatusCode: 200,
    },
    SdkResponseMetadata: { RequestId: requestId },
  };
}

/** The Cause text Step Functions gives a failed service integration (from the Java SDK's message). */
export function serviceCause(
  message: string,
  service: string,
  status: number,
  code: string,
  requestId?: string,
): string {
  return `${message} (Service: ${service}; Status Code: ${status}; Error Code: ${code}; Request ID: ${requestId ?? randomUUID()}; Proxy: null)`;
}
