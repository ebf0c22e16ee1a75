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
