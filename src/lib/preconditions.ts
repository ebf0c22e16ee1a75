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

/** An entity tag (RFC 9110 §8.8.3): an opaque quoted value, marked weak by a `W/` prefix. */
interface EntityTag {
  weak: boolean
  opaque: string
}

const ENTITY_TAG = /(W\/)?"([^"]*)"/g

function entityTags(value: string): EntityTag[] {
  return [...value.matchAll(ENTITY_TAG)].map(([, weak, opaque]) => ({ weak: weak !== undefined, opaque: opaque! }))
}

/**
 * Whether a conditional header (`*` or a list of entity tags) matches the current ETag
 * (undefined: no current representation). Strong comparison (If-Match) needs both tags
 * strong and equal; weak comparison (If-None-Match) compares the opaque values only
 * (RFC 9110 §8.8.3.2).
 */
function headerMatches(header: string, currentEtag: string | undefined, comparison: 'strong' | 'weak'): boolean {
  if (currentEtag === undefined) return false
  if (header.trim() === '*') return true
  const [current] = entityTags(currentEtag)
  if (current === undefined) return false
  return entityTags(header).some(
    (tag) => tag.opaque === current.opaque && (comparison === 'weak' || (!tag.weak && !current.weak)),
  )
}

/**
 * Checks a write's preconditions against the current ETag (undefined: the resource does not
 * exist). Must run inside the write's transaction, after the row is locked.
 */
export function assertPreconditions(preconditions: Preconditions, currentEtag: string | undefined): void {
  if (preconditions.ifMatch !== undefined && !headerMatches(preconditions.ifMatch, currentEtag, 'strong')) {
    throw Errors.preconditionFailed(
      currentEtag === undefined
        ? 'If-Match was sent but the resource does not exist'
        : `If-Match does not match the current ETag ${currentEtag}`,
    )
  }
  if (preconditions.ifNoneMatch !== undefined && headerMatches(preconditions.ifNoneMatch, currentEtag, 'weak')) {
    throw Errors.preconditionFailed('If-None-Match matches the current resource (it already exists)')
  }
}

/**
 * For writes that replace parts of a resource from what the client last read (a merge patch
 * replaces arrays whole): without If-Match, two of them could each undo the other (428).
 */
export function requireIfMatch(preconditions: Preconditions): void {
  if (preconditions.ifMatch === undefined) {
    throw Errors.preconditionRequired('Send If-Match with the ETag of the resource as you last read it, so that no concurrent change is lost')
  }
}

/** For reads: true when the client's cached copy (If-None-Match) is still current. */
export function isNotModified(ifNoneMatch: string | undefined, etag: string): boolean {
  return ifNoneMatch !== undefined && headerMatches(ifNoneMatch, etag, 'weak')
}
