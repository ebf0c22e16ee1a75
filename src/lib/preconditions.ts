import { Errors } from '../errors.js'

/** The conditional-request headers of a write (RFC 9110 §13). */
export interface Preconditions {
  ifMatch?: string
  ifNoneMatch?: string
}

/** A strong entity tag derived from a resource's version number. */
export function etagOf(version: number): string {
  return `"${version}"`
}

function listMatches(header: string, version: number | undefined): boolean {
  if (version === undefined) return false
  const tag = etagOf(version)
  return header
    .split(',')
    .map((value) => value.trim())
    .some((value) => value === '*' || value === tag)
}

/**
 * Checks a write's preconditions against the current version (undefined: the resource does
 * not exist). Must run inside the write's transaction, after the row is locked.
 */
export function assertPreconditions(preconditions: Preconditions, currentVersion: number | undefined): void {
  if (preconditions.ifMatch !== undefined && !listMatches(preconditions.ifMatch, currentVersion)) {
    throw Errors.preconditionFailed(
      currentVersion === undefined
        ? 'If-Match was sent but the resource does not exist'
        : `If-Match does not match the current ETag ${etagOf(currentVersion)}`,
    )
  }
  if (preconditions.ifNoneMatch !== undefined && listMatches(preconditions.ifNoneMatch, currentVersion)) {
    throw Errors.preconditionFailed('If-None-Match matches the current resource (it already exists)')
  }
}

/** For reads: true when the client's cached copy (If-None-Match) is still current. */
export function isNotModified(ifNoneMatch: string | undefined, version: number): boolean {
  return ifNoneMatch !== undefined && listMatches(ifNoneMatch, version)
}
