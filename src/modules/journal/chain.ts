import { createHash } from 'node:crypto'
import { canonicalJson } from '../../lib/canonical-json.js'

/**
 * The hash chain of the audit trail, pure: each record's hash covers its own content and the
 * previous record's hash, so changing, removing or reordering a record breaks every later link.
 */
export interface AuditContent {
  chain: string
  at: Date
  clientId: string | null
  institution: string | null
  action: string
  objectType: string
  objectId: string
  objectVersion: number | null
  /** The server's own id of the request. */
  requestId: string | null
  /** The X-Request-Id the caller sent (records made before it was kept have none). */
  callerRequestId: string | null
  details: Record<string, unknown>
}

export function recordHash(prevHash: string | null, content: AuditContent): string {
  return createHash('sha256')
    .update(prevHash ?? '')
    .update('\n')
    // Without a caller's id the record hashes as records did before the field existed, so
    // the chains written then still verify.
    .update(canonicalJson({ ...content, at: content.at.toISOString(), callerRequestId: content.callerRequestId ?? undefined }))
    .digest('hex')
}

export interface ChainBreak {
  id: number
  reason: string
}

/**
 * Checks one chain, record after record; `previous` is the last record already checked
 * (undefined at the start). Returns the first broken link of this batch, if any.
 */
export function firstBreak(
  records: Array<AuditContent & { id: number; prevHash: string | null; hash: string }>,
  previous: { hash: string } | undefined,
): ChainBreak | undefined {
  let expectedPrev = previous?.hash ?? null
  for (const record of records) {
    if (record.prevHash !== expectedPrev) {
      return { id: record.id, reason: `links to ${record.prevHash ?? 'nothing'} but the previous record's hash is ${expectedPrev ?? 'nothing'}` }
    }
    const { id: _id, prevHash, hash, ...content } = record
    if (recordHash(prevHash, content) !== hash) return { id: record.id, reason: 'its content does not match its hash' }
    expectedPrev = hash
  }
  return undefined
}
