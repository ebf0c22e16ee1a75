import { Errors } from '../errors.js'

/** The conditional-request headers of a write (RFC 9110 §13). */
export interface Preconditions {
  ifMatch?: string
  ifNoneMatch?: string
}

/** A strong entity tag from a counter that changes whenever the representation does. */
export function etagOf(revision: number): string {
  return `"${revision}"`
}

function listMatches(header: string, etag: string | undefined): boolean {
  if (etag === undefined) return false
  return header
    .split(',')
    .map((value) => value.trim())
    .some((value) => value === '*' || value === etag)
}

/**
 * Checks a write's preconditions against the current ETag (undefined: the resource does not
 * exist). Must run inside the write's transaction, after the row is locked.
 */
export function assertPreconditions(preconditions: Preconditions, currentEtag: string | undefined): void {
  if (preconditions.ifMatch !== undefined && !listMatches(preconditions.ifMatch, currentEtag)) {
    throw Errors.preconditionFailed(
      currentEtag === undefined
        ? 'If-Match was sent but the resource does not exist'
        : `If-Match does not match the current ETag ${currentEtag}`,
    )
  }
  if (preconditions.ifNoneMatch !== undefined && listMatches(preconditions.ifNoneMatch, currentEtag)) {
    throw Errors.preconditionFailed('If-None-Match matches the current resource (it already exists)')
  }
}

/** For reads: true when the client's cached copy (If-None-Match) is still current. */
export function isNotModified(ifNoneMatch: string | undefined, etag: string): boolean {
  return ifNoneMatch !== undefined && listMatches(ifNoneMatch, etag)
}
