import type { WebhookConfig } from '../../config.js'
import type { Database } from '../../db/client.js'
import { Errors, withFieldErrors } from '../../errors.js'
import type { Caller } from '../../lib/caller.js'
import { assertPreconditions, etagOf, type Preconditions } from '../../lib/preconditions.js'
import type { Write } from '../journal/index.js'
import { messageIdOf, payloadOf, pingPayloadOf, receives } from './payloads.js'
import { webhookRepository as repo, type AttemptRow, type DeliveryRow, type SubscriptionRow } from './repository.js'
import type {
  CreatedWebhookSubscription,
  RotatedWebhookSecret,
  WebhookDelivery,
  WebhookReplay,
  WebhookReplayInput,
  WebhookSubscription,
  WebhookSubscriptionInput,
} from './schemas.js'
import { generateSecret } from './signing.js'
import { urlProblem } from './urls.js'

/** Feed entries one replay request looks at (bounded: PGlite runs queries on the event loop). */
const REPLAY_SCAN = 1000

export function toSubscription(row: SubscriptionRow): WebhookSubscription {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: row.events,
    institutions: row.institutions,
    alliances: row.alliances,
    status: row.status,
    disabledReason: row.disabledReason,
    fromSequence: row.fromSequence,
    previousSecretExpiresAt: row.previousSecretExpiresAt?.toISOString() ?? null,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}

export function toDelivery(row: DeliveryRow, attempts: AttemptRow[]): WebhookDelivery {
  return {
    id: row.id,
    sequence: row.sequence,
    messageId: row.messageId,
    status: row.status,
    manual: row.manual,
    attempts: row.attempts,
    nextAttemptAt: row.status === 'pending' ? row.nextAttemptAt.toISOString() : null,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    log: attempts.map((attempt) => ({
      at: attempt.at.toISOString(),
      statusCode: attempt.statusCode,
      durationMs: attempt.durationMs,
      error: attempt.error,
      responseBody: attempt.responseBody,
    })),
  }
}

/** A subscription belongs to an API client: the ADMIN_TOKEN, which is none, cannot own one. */
function ownerOf(clientId: string | null): string {
  if (clientId === null) throw Errors.forbidden('Webhook subscriptions belong to an API client: use a client key with scope webhooks:manage')
  return clientId
}

const AUDIT_TYPE = 'webhook_subscription'

/** Subscriptions, their secrets, the delivery log, redelivery and replay. */
export function createWebhookService(db: Database, config: WebhookConfig) {
  function checkUrl(url: string): void {
    const problem = urlProblem(url, config.allowHttp)
    if (problem !== undefined) {
      throw withFieldErrors(Errors.unprocessable('The subscription cannot be saved as described'), [{ in: 'body', pointer: '/url', detail: problem }])
    }
  }

  async function owned(executor: Write['tx'] | Database, clientId: string | null, id: string, lock = false): Promise<SubscriptionRow> {
    const row = await repo.findSubscription(executor, ownerOf(clientId), id, lock)
    if (!row) throw Errors.notFound(`No webhook subscription ${id}`)
    return row
  }

  const fields = (input: WebhookSubscriptionInput) => ({
    url: input.url,
    description: input.description ?? null,
    events: input.events,
    institutions: input.institutions ?? null,
    alliances: input.alliances ?? null,
  })

  /** What the audit trail keeps of a subscription: never the secret, nor the URL's path or query. */
  const audited = (row: SubscriptionRow) => ({ origin: new URL(row.url).origin, events: row.events, status: row.status })

  return {
    async create({ tx, actor, record }: Write, input: WebhookSubscriptionInput): Promise<CreatedWebhookSubscription> {
      const clientId = ownerOf(actor.clientId)
      checkUrl(input.url)
      const secret = generateSecret()
      const fanned = await repo.lockFanout(tx)
      const fromSequence = Math.max(fanned, await repo.lastSequence(tx))
      const row = await repo.insertSubscription(tx, { clientId, ...fields(input), secret, fromSequence })
      record({ at: row.createdAt, audit: [{ action: 'webhook.created', objectType: AUDIT_TYPE, objectId: row.id, details: audited(row) }] })
      return { ...toSubscription(row), secret }
    },

    async list(caller: Caller, afterId: string | undefined, limit: number): Promise<SubscriptionRow[]> {
      return repo.listSubscriptions(db, ownerOf(caller.clientId), afterId, limit)
    },

    async get(caller: Caller, id: string): Promise<WebhookSubscription> {
      return toSubscription(await owned(db, caller.clientId, id))
    },

    async update({ tx, actor, record }: Write, id: string, input: WebhookSubscriptionInput, preconditions: Preconditions = {}): Promise<WebhookSubscription> {
      const current = await owned(tx, actor.clientId, id, true)
      assertPreconditions(preconditions, etagOf(current.version))
      checkUrl(input.url)
      const row = await repo.updateSubscription(tx, id, fields(input))
      record({ at: row.updatedAt, audit: [{ action: 'webhook.updated', objectType: AUDIT_TYPE, objectId: id, details: audited(row) }] })
      return toSubscription(row)
    },

    /** Paused: events keep being queued, and are delivered on resume. */
    async pause({ tx, actor, record }: Write, id: string): Promise<WebhookSubscription> {
      const current = await owned(tx, actor.clientId, id, true)
      if (current.status === 'paused') return toSubscription(current)
      if (current.status === 'disabled') throw Errors.invalidTransition('A disabled subscription cannot be paused: resume it first')
      const row = await repo.updateSubscription(tx, id, { status: 'paused' })
      record({ at: row.updatedAt, audit: [{ action: 'webhook.paused', objectType: AUDIT_TYPE, objectId: id, details: audited(row) }] })
      return toSubscription(row)
    },

    /** Resumes a paused subscription, or re-enables a disabled one (it starts over: not failing). */
    async resume({ tx, actor, record }: Write, id: string): Promise<WebhookSubscription> {
      const current = await owned(tx, actor.clientId, id, true)
      if (current.status === 'active') return toSubscription(current)
      const row = await repo.updateSubscription(tx, id, { status: 'active', disabledReason: null, failingSince: null, lastFailedAt: null })
      record({ at: row.updatedAt, audit: [{ action: 'webhook.resumed', objectType: AUDIT_TYPE, objectId: id, details: audited(row) }] })
      return toSubscription(row)
    },

    /** Deletes the subscription and its delivery log. */
    async remove({ tx, actor, record }: Write, id: string, preconditions: Preconditions = {}): Promise<void> {
      const current = await owned(tx, actor.clientId, id, true)
      assertPreconditions(preconditions, etagOf(current.version))
      await repo.deleteSubscription(tx, id)
      record({ at: new Date(), audit: [{ action: 'webhook.deleted', objectType: AUDIT_TYPE, objectId: id, details: audited(current) }] })
    },

    /** A new secret; the old one keeps signing (alongside) for the grace period. */
    async rotateSecret({ tx, actor, record }: Write, id: string): Promise<RotatedWebhookSecret> {
      const current = await owned(tx, actor.clientId, id, true)
      const secret = generateSecret()
      const previousSecretExpiresAt = new Date(Date.now() + config.secretGraceMs)
      const row = await repo.updateSubscription(tx, id, { secret, previousSecret: current.secret, previousSecretExpiresAt })
      record({ at: row.updatedAt, audit: [{ action: 'webhook.secret_rotated', objectType: AUDIT_TYPE, objectId: id, details: { previousSecretExpiresAt } }] })
      return { secret, previousSecretExpiresAt: previousSecretExpiresAt.toISOString() }
    },

    /** Queues a test ping (manual: it does not count toward disabling). */
    async ping({ tx, actor }: Write, id: string): Promise<WebhookDelivery> {
      await owned(tx, actor.clientId, id)
      const [row] = await repo.insertDeliveries(tx, [{ subscriptionId: id, sequence: null, messageId: `msg_ping_${crypto.randomUUID()}`, payload: pingPayloadOf(id, new Date()), manual: true }])
      return toDelivery(row!, [])
    },

    async deliveries(caller: Caller, id: string, beforeId: number | undefined, limit: number): Promise<{ rows: DeliveryRow[]; attempts: Map<number, AttemptRow[]> }> {
      await owned(db, caller.clientId, id)
      const rows = await repo.listDeliveries(db, id, beforeId, limit)
      const attempts = new Map<number, AttemptRow[]>()
      for (const attempt of await repo.attemptsOf(db, rows.map((row) => row.id))) {
        attempts.set(attempt.deliveryId, [...(attempts.get(attempt.deliveryId) ?? []), attempt])
      }
      return { rows, attempts }
    },

    /** Sends one event again, as it was (same webhook-id and body), as a new manual delivery. */
    async redeliver({ tx, actor }: Write, id: string, deliveryId: number): Promise<WebhookDelivery> {
      await owned(tx, actor.clientId, id)
      const original = await repo.findDelivery(tx, id, deliveryId)
      if (!original) throw Errors.notFound(`No delivery ${deliveryId} of webhook subscription ${id}`)
      const [row] = await repo.insertDeliveries(tx, [{ subscriptionId: id, sequence: original.sequence, messageId: original.messageId, payload: original.payload, manual: true }])
      return toDelivery(row!, [])
    },

    /**
     * Queues the entries of a range of the feed that the subscription would receive (what its
     * client may read and its events and filters select), as manual deliveries. Up to
     * REPLAY_SCAN entries per request; `complete` says whether the range was covered.
     */
    async replay({ tx, actor }: Write, id: string, input: WebhookReplayInput): Promise<WebhookReplay> {
      const subscription = await owned(tx, actor.clientId, id)
      const [target] = await repo.fanoutTargets(tx, [id])
      if (!target || subscription.status === 'disabled') throw Errors.invalidTransition('Only an active or paused subscription can replay: resume it first')
      const upTo = input.toSequence ?? (await repo.lastSequence(tx))
      const entries = await repo.feedAfter(tx, input.fromSequence, REPLAY_SCAN, upTo)
      const alliances = await repo.alliancesOf(tx, [...new Set(entries.flatMap((entry) => (entry.institution ? [entry.institution] : [])))])
      const audience = { ...target, fromSequence: 0 }
      const selected = entries.filter((entry) => receives(entry, audience, (institution) => alliances.get(institution) ?? []))
      await repo.insertDeliveries(
        tx,
        selected.map((entry) => ({ subscriptionId: id, sequence: entry.sequence, messageId: messageIdOf(entry.sequence), payload: payloadOf(entry, config.publicBaseUrl), manual: true })),
      )
      const complete = entries.length < REPLAY_SCAN
      const scannedTo = complete ? Math.max(input.fromSequence, upTo) : entries.at(-1)!.sequence
      return { queued: selected.length, scannedTo, complete }
    },
  }
}

export type WebhookService = ReturnType<typeof createWebhookService>
