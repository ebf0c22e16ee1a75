import type { OfferStatus } from './schemas.js'

/**
 * The offer lifecycle, pure: draft → published → withdrawn → published. A write is compared
 * with the current state; identical content and status change nothing.
 */

export type OfferEvent = 'created' | 'updated' | 'published' | 'withdrawn'

/** Where an offer stands in its lifecycle. */
export interface LifecycleState {
  status: OfferStatus
  version: number
  contentHash: string
  publishedAt: Date | null
}

export interface Transition {
  status: OfferStatus
  version: number
  /** True when the content changed, so a new version is recorded. */
  newVersion: boolean
  publishedAt: Date | null
  withdrawnAt: Date | null
  events: OfferEvent[]
}

export function createTransition(status: 'draft' | 'published', now: Date): Transition {
  return {
    status,
    version: 1,
    newVersion: true,
    publishedAt: status === 'published' ? now : null,
    withdrawnAt: null,
    events: status === 'published' ? ['created', 'published'] : ['created'],
  }
}

/** Why a write cannot move an offer where it asks to, with the error code that says so. */
export interface Refusal {
  refused: 'INVALID_STATUS_TRANSITION'
  detail: string
}

export function isRefusal(value: Transition | Refusal | undefined): value is Refusal {
  return value !== undefined && 'refused' in value
}

/**
 * The next state for a write of `contentHash` with the desired status: undefined if unchanged,
 * a refusal if the lifecycle does not allow it.
 */
export function writeTransition(
  current: LifecycleState,
  desired: { status: 'draft' | 'published'; contentHash: string },
  now: Date,
): Transition | Refusal | undefined {
  if (desired.status === 'draft' && current.status !== 'draft') {
    return {
      refused: 'INVALID_STATUS_TRANSITION',
      detail: `A ${current.status} offer cannot go back to draft; publish a new version or withdraw it instead`,
    }
  }
  const contentChanged = desired.contentHash !== current.contentHash
  const statusChanged = desired.status !== current.status
  if (!contentChanged && !statusChanged) return undefined
  const events: OfferEvent[] = []
  if (contentChanged) events.push('updated')
  if (statusChanged) events.push('published')
  return {
    status: desired.status,
    version: contentChanged ? current.version + 1 : current.version,
    newVersion: contentChanged,
    publishedAt: current.publishedAt ?? (desired.status === 'published' ? now : null),
    withdrawnAt: null,
    events,
  }
}

/** Withdrawal keeps the offer and its history; withdrawing again changes nothing. */
export function withdrawTransition(current: LifecycleState, now: Date): Transition | undefined {
  if (current.status === 'withdrawn') return undefined
  return {
    status: 'withdrawn',
    version: current.version,
    newVersion: false,
    publishedAt: current.publishedAt,
    withdrawnAt: now,
    events: ['withdrawn'],
  }
}
