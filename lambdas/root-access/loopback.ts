/**
 * The one rule for "this endpoint is the local sandbox": its host is a
 * loopback name. Security-relevant: only then are plain-HTTP queue URLs
 * accepted, so it is written once. `URL.hostname` keeps the brackets of an
 * IPv6 address, hence `[::1]`.
 */
const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname);
}

/** Whether `text` is a URL whose host is loopback; anything unparsable is not. */
export function isLoopbackUrl(text: string): boolean {
  try {
    return isLoopbackHost(new URL(text).hostname);
  } catch {
    return false;
  }
}
