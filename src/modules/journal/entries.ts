/** What a write tells the audit trail and the change feed about itself. */

export const CHANGE_TYPES = ['offer', 'run', 'recognition', 'institution'] as const
export type ChangeType = (typeof CHANGE_TYPES)[number]
export const CHANGE_ACTIONS = [
  'created',
  'updated',
  'published',
  'withdrawn',
  'superseded',
  'revoked',
  /** A run of an offer was deleted by its provider. */
  'deleted',
  /** An offer's alliances changed with its institution's memberships (no new version). */
  'alliances_changed',
  /** An institution named as awarding body confirmed or declined (no new version). */
  'awarding_changed',
] as const
export type ChangeAction = (typeof CHANGE_ACTIONS)[number]

/** One entry of the change feed: what changed, for mirrors and integrators. */
export interface ChangeEntry {
  type: ChangeType
  id: string
  action: ChangeAction
  version: number | null
  institution: string | null
  /** Undefined for a public change; otherwise who may see it. */
  visibleTo?: string[]
  /**
   * Recognition entries: the decision's validity period, stored with the entry (a decision
   * starting or ending writes nothing; the feed's readers apply these dates).
   */
  validity?: { validFrom: string; validUntil: string | null }
}

/**
 * What a stored feed entry says of a decision's validity, as the feed (GET /v1/changes) and
 * webhook payloads both show it: `validFrom` and `validUntil` for a recognition entry, nothing
 * for others.
 */
export function validityOf(entry: { type: ChangeType; validFrom: string | null; validUntil: string | null }): { validFrom?: string; validUntil?: string | null } {
  if (entry.type !== 'recognition' || entry.validFrom === null) return {}
  return { validFrom: entry.validFrom, validUntil: entry.validUntil }
}

/** One record of the audit trail: who did what to which object. */
export interface AuditEntry {
  action: string
  objectType: string
  objectId: string
  objectVersion?: number | null
  /** Never a learner reference or a secret: the trail is readable by the institution. */
  details?: Record<string, unknown>
}
