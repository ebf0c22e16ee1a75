import type { FastifyBaseLogger } from 'fastify'
import type { WebhookConfig } from '../../config.js'
import type { Database } from '../../db/client.js'
import { nextDelayMs, retryAfterMs } from './backoff.js'
import { messageIdOf, payloadOf, receives } from './payloads.js'
import { webhookRepository as repo, type ClaimedDelivery } from './repository.js'
import { signedHeaders } from './signing.js'
import { createTransport, type AttemptResult } from './transport.js'

/** Feed entries fanned out per round: short statements, also on PGlite. */
const FANOUT_BATCH = 500
/** Finished deliveries and attempts pruned per round, at most. */
const PRUNE_BATCH = 1000
const PRUNE_EVERY_MS = 60_000

/**
 * The in-process webhook dispatcher of one replica. Each round it fans the feed out (whoever
 * holds the fan-out row; the others skip it), then claims due deliveries (SKIP LOCKED, each
 * leased to this process) and sends them, up to `concurrency` at once. Results are written
 * back; a dispatcher that stops or dies mid-delivery leaves the lease to expire, and the
 * delivery is sent again (at least once).
 */
export function createDispatcher(db: Database, config: WebhookConfig, log: FastifyBaseLogger) {
  const transport = createTransport({ timeoutMs: config.attemptTimeoutMs, allowedAddresses: config.allowedAddresses })
  // The lease outlives the attempt's deadline (and the recording of its outcome), so a live
  // attempt is never taken by another dispatcher.
  const leaseMs = 2 * config.attemptTimeoutMs + 1_000
  const inFlight = new Set<Promise<void>>()
  let timer: NodeJS.Timeout | undefined
  let running = false
  let round: Promise<void> | undefined
  let lastPrune = 0

  async function fanOut(): Promise<number> {
    return db.transaction(async (tx) => {
      const last = await repo.claimFanout(tx)
      if (last === undefined) return 0
      const entries = await repo.feedAfter(tx, last, FANOUT_BATCH)
      if (entries.length === 0) return 0
      const targets = await repo.fanoutTargets(tx)
      const alliances = await repo.alliancesOf(tx, [...new Set(entries.flatMap((entry) => (entry.institution ? [entry.institution] : [])))])
      const rows = []
      for (const entry of entries) {
        let payload: string | undefined
        for (const target of targets) {
          if (!receives(entry, target, (institution) => alliances.get(institution) ?? [])) continue
          payload ??= payloadOf(entry, config.publicBaseUrl)
          rows.push({ subscriptionId: target.id, sequence: entry.sequence, messageId: messageIdOf(entry.sequence), payload, manual: false })
        }
      }
      for (let start = 0; start < rows.length; start += FANOUT_BATCH) await repo.insertDeliveries(tx, rows.slice(start, start + FANOUT_BATCH))
      await repo.advanceFanout(tx, entries.at(-1)!.sequence)
      return entries.length
    })
  }

  async function record(delivery: ClaimedDelivery, result: AttemptResult): Promise<void> {
    const success = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300
    await db.transaction(async (tx) => {
      // Deleted meanwhile (with its subscription): nothing to record.
      if (!(await repo.lockDelivery(tx, delivery.id))) return
      await repo.insertAttempt(tx, {
        deliveryId: delivery.id,
        at: new Date(Date.now() - result.durationMs),
        statusCode: result.statusCode,
        durationMs: result.durationMs,
        error: result.error,
        responseBody: result.responseBody,
      })
      if (success) {
        await repo.finishDelivery(tx, delivery.id, 'succeeded')
        if (!delivery.manual) await repo.clearFailing(tx, delivery.subscriptionId)
        return
      }
      if (result.statusCode === 410) {
        await repo.finishDelivery(tx, delivery.id, 'failed')
        await repo.disable(tx, delivery.subscriptionId, 'The endpoint answered 410 Gone')
        return
      }
      const delay = nextDelayMs(config.retryDelaysMs, delivery.attempts, retryAfterMs(result.retryAfter, Date.now()), Math.random())
      if (delay === undefined) await repo.finishDelivery(tx, delivery.id, 'failed')
      else await repo.rescheduleDelivery(tx, delivery.id, delay)
      if (delivery.manual) return
      const failingMs = await repo.markFailing(tx, delivery.subscriptionId, config.disableAfterMs)
      if (failingMs >= config.disableAfterMs) {
        const why = result.statusCode === null ? (result.error ?? 'no answer') : `HTTP ${result.statusCode}`
        await repo.disable(tx, delivery.subscriptionId, `Deliveries failed for ${Math.round(failingMs / 1000)} s (last: ${why})`)
      }
    })
  }

  async function deliver(delivery: ClaimedDelivery): Promise<void> {
    const secrets = [delivery.secret]
    if (delivery.previousSecret !== null && delivery.previousSecretExpiresAt !== null && delivery.previousSecretExpiresAt.getTime() > Date.now()) {
      secrets.push(delivery.previousSecret)
    }
    const headers = signedHeaders(secrets, delivery.messageId, Math.floor(Date.now() / 1000), delivery.payload)
    const result = await transport.send(delivery.url, headers, delivery.payload)
    // Stopped mid-attempt: nothing is recorded; the lease runs out and the delivery is due again.
    if (!running) return
    await record(delivery, result)
  }

  function launch(delivery: ClaimedDelivery): void {
    const task = deliver(delivery)
      .catch((error: unknown) => log.error({ err: error, delivery: delivery.id }, 'webhook delivery could not be recorded'))
      .finally(() => inFlight.delete(task))
    inFlight.add(task)
  }

  /** One round: fan out, prune now and then, claim and start what is due; true when it found work. */
  async function runRound(): Promise<boolean> {
    const fanned = await fanOut()
    if (Date.now() - lastPrune > PRUNE_EVERY_MS) {
      lastPrune = Date.now()
      await repo.prune(db, config.logRetentionMs, PRUNE_BATCH)
    }
    const room = config.concurrency - inFlight.size
    if (room <= 0 || !running) return fanned > 0
    const claimed = await repo.claimDue(db, room, leaseMs)
    for (const delivery of claimed) launch(delivery)
    return fanned > 0 || claimed.length > 0
  }

  /** The next round comes at once after one that found work, else after the poll interval. */
  function schedule(delayMs = config.pollIntervalMs): void {
    if (!running) return
    timer = setTimeout(() => {
      round = runRound()
        .then(
          (busy) => schedule(busy ? 0 : config.pollIntervalMs),
          (error: unknown) => {
            log.warn({ err: error }, 'webhook dispatcher round failed')
            schedule()
          },
        )
    }, delayMs)
    timer.unref()
  }

  return {
    start(): void {
      if (running) return
      running = true
      schedule()
    },
    /**
     * Stops claiming, aborts the attempts under way (without recording them: their leases
     * run out and they are sent again) and waits for the current round to end.
     */
    async stop(): Promise<void> {
      running = false
      clearTimeout(timer)
      transport.abortAll()
      await round
      await Promise.allSettled([...inFlight])
      transport.close()
    },
    /** Runs one round and waits for its deliveries (for tests and the command line). */
    async drain(): Promise<void> {
      const wasRunning = running
      running = true
      try {
        await runRound()
        await Promise.allSettled([...inFlight])
      } finally {
        running = wasRunning
      }
    },
  }
}

export type Dispatcher = ReturnType<typeof createDispatcher>
