// Which feed entries reach which subscription, and what is sent. Pure: no SQL, no HTTP.
import { CHANGE_ACTIONS, CHANGE_TYPES, validityOf, type ChangeType } from '../journal/index.js'

/** The event names a subscription may ask for: a type, or one action of a type. */
export const EVENT_NAMES = [...CHANGE_TYPES, ...CHANGE_TYPES.flatMap((type) => CHANGE_ACTIONS.map((action) => `${type}.${action}`))]

/** A feed entry as the fan-out sees it. */
export interface FeedEntry {
  sequence: number
  type: ChangeType
  entityId: string
  action: string
  version: number | null
  at: Date
  institution: string | null
  visibleTo: string[] | null
  /** Recognition entries: the decision's validity period, stored with the entry; null otherwise. */
  validFrom: string | null
  validUntil: string | null
}

/** What decides whether a subscription receives an entry. */
export interface Audience {
  events: readonly string[]
  institutions: readonly string[] | null
  alliances: readonly string[] | null
  fromSequence: number
  /** The owning client's institution (null: an operator client). */
  viewer: string | null
  /** Whether the owning client holds recognition:read. */
  readsRecognitions: boolean
  /** Whether it holds recognition:write: it reads the individual decisions its institution recorded. */
  writesRecognitions: boolean
}

/** The feed's own visibility rule (GET /v1/changes), applied to the subscription's client. */
export function mayRead(entry: FeedEntry, audience: Audience): boolean {
  if (entry.visibleTo === null) return true
  if (audience.viewer === null || !entry.visibleTo.includes(audience.viewer)) return false
  return entry.type !== 'recognition' || audience.readsRecognitions || (audience.writesRecognitions && entry.institution === audience.viewer)
}

/** Whether the entry goes to the subscription: readable, asked for, and within its filters. */
export function receives(entry: FeedEntry, audience: Audience, alliancesOf: (institution: string) => readonly string[]): boolean {
  if (entry.sequence <= audience.fromSequence || !mayRead(entry, audience)) return false
  if (!audience.events.includes(entry.type) && !audience.events.includes(`${entry.type}.${entry.action}`)) return false
  if (audience.institutions !== null && (entry.institution === null || !audience.institutions.includes(entry.institution))) return false
  if (audience.alliances !== null) {
    const memberOf = entry.institution === null ? [] : alliancesOf(entry.institution)
    if (!audience.alliances.some((alliance) => memberOf.includes(alliance))) return false
  }
  return true
}

const PATHS: Record<ChangeType, string> = { offer: '/v1/offers/', run: '/v1/runs/', recognition: '/v1/recognitions/', institution: '/v1/institutions/' }

/** The `webhook-id` of a feed entry: the same on every attempt, redelivery and replay. */
export function messageIdOf(sequence: number): string {
  return `msg_seq_${sequence}`
}

/**
 * The thin payload: the feed entry and where to fetch the object, never its content. The
 * envelope is Standard Webhooks' (`type`, `timestamp`, `data`). A decision's entry carries its
 * validity period as the feed does (GET /v1/changes), from the same stored fields.
 */
export function payloadOf(entry: FeedEntry, publicBaseUrl: string | undefined): string {
  return JSON.stringify({
    type: `${entry.type}.${entry.action}`,
    timestamp: entry.at.toISOString(),
    data: {
      sequence: entry.sequence,
      type: entry.type,
      id: entry.entityId,
      action: entry.action,
      version: entry.version,
      at: entry.at.toISOString(),
      ...validityOf(entry),
      url: `${publicBaseUrl ?? ''}${PATHS[entry.type]}${encodeURIComponent(entry.entityId)}`,
    },
  })
}

/** The body of a test ping. */
export function pingPayloadOf(subscriptionId: string, at: Date): string {
  return JSON.stringify({ type: 'webhook.ping', timestamp: at.toISOString(), data: { subscription: subscriptionId } })
}
