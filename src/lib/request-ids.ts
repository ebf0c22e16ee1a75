/**
 * Request ids. The server gives every request its own id (unique: it names the request in the
 * response's X-Request-Id, the log and the audit trail). A caller may send its own id in
 * X-Request-Id to trace a batch of its requests; that one is not unique, so it is kept apart,
 * as the caller's, and only when it is a sane token (it ends up in logs).
 */
const CALLER_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/

/** The caller's X-Request-Id, when it sent a usable one. */
export function callerRequestIdOf(headers: Record<string, string | string[] | undefined>): string | undefined {
  const incoming = headers['x-request-id']
  return typeof incoming === 'string' && CALLER_REQUEST_ID.test(incoming) ? incoming : undefined
}
