/**
 * When a decision is in force. Pure: no HTTP, no SQL.
 *
 * A decision takes effect on `validFrom` and ends after `validUntil` (inclusive dates, no end
 * when null). It is in force at a moment when it had been recorded by then, was neither
 * superseded nor revoked by then, and the moment's date lies within its validity. Starting and
 * ending write nothing: whoever reads a decision applies its dates.
 */

/** How far ahead of the server's clock a decision date may be (clocks of deciding systems drift). */
export const CLOCK_SKEW_MS = 5 * 60 * 1000

export type StoredStatus = 'in_force' | 'superseded' | 'revoked'
export type DecisionStatusAt = StoredStatus | 'scheduled' | 'expired'

export interface ValidityFacts {
  status: StoredStatus
  validFrom: string
  validUntil: string | null
  supersededAt: Date | null
  revokedAt: Date | null
}

const dateOf = (at: Date) => at.toISOString().slice(0, 10)

/**
 * The status of a decision at a moment: `scheduled` before its validity starts, `expired` after
 * it ends, `in_force` within it; `superseded` and `revoked` once that happened.
 */
export function statusAt(decision: ValidityFacts, at: Date): DecisionStatusAt {
  if (decision.revokedAt !== null && decision.revokedAt <= at) return 'revoked'
  if (decision.supersededAt !== null && decision.supersededAt <= at) return 'superseded'
  const day = dateOf(at)
  if (decision.validFrom > day) return 'scheduled'
  if (decision.validUntil !== null && decision.validUntil < day) return 'expired'
  return 'in_force'
}

export interface Period {
  validFrom: string
  validUntil: string | null
}

/** Two validity periods (inclusive dates, open-ended when validUntil is null) share a day. */
export function periodsOverlap(a: Period, b: Period): boolean {
  return (b.validUntil === null || a.validFrom <= b.validUntil) && (a.validUntil === null || b.validFrom <= a.validUntil)
}

/** A decision date may not lie in the future, beyond a small clock skew. */
export function decidedAtInFuture(decidedAt: Date, now: Date): boolean {
  return decidedAt.getTime() > now.getTime() + CLOCK_SKEW_MS
}
