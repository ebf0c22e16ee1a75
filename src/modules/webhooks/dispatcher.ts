import type { FastifyBaseLogger } from 'fastify'
import type { WebhookConfig } from '../../config.js'
import type { Database, Executor } from '../../db/client.js'
import { nextDelayMs, retryAfterMs } from './backoff.js'
import { messageIdOf, payloadOf, receives } from './payloads.js'
import { webhookRepository as repo, type ClaimedDelivery } from './repository.js'
import { signedHeaders } from './signing.js'
import { createTransport, type AttemptResult } from './transport.js'

/** Feed entries fanned out per round: short statements, also on PGlite. */
const FANOUT_BATCH = 500
/** Deliveries queued per round, about (at least one feed entry's). */
const FANOUT_ROWS = 2000
/** Outcomes written per transaction, at most. */
const OUTCOME_BATCH = 200
/** Finished deliveries and attempts pruned per round, at most. */
const PRUNE_BATCH = 1000
const PRUNE_EVERY_MS = 60_000

interface Outcome {
  delivery: ClaimedDelivery
  result: AttemptResult & { finishedAt: number }
}

const isSuccess = (result: AttemptResult) => result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300

/**
 * The in-process webhook dispatcher of one replica. Each round it fans the feed out (whoever
 * holds the fan-out row; the others skip it), then claims due deliveries (SKIP LOCKED, each
 * leased to this process) and sends them, up to `concurrency` at once and
 * `concurrencyPerSubscription` for any one subscription. Outcomes are written back in
 * batches; a dispatcher that stops or dies mid-delivery (or cannot write an outcome) leaves
 * the lease to expire, and the delivery is sent again (at least once).
 */
export function createDispatcher(db: Database, config: WebhookConfig, log: FastifyBaseLogger) {
  const transport = createTransport({ timeoutMs: config.attemptTimeoutMs, allowedAddresses: config.allowedAddresses, maxSocketsPerOrigin: config.concurrency })
  // The lease outlives the attempt's deadline (and the recording of its outcome), so a live
  // attempt is never taken by another dispatcher.
  const leaseMs = 2 * config.attemptTimeoutMs + 1_000
  const inFlight = new Set<Promise<void>>()
  /** The fewest free slots worth a claim. */
  const claimBatch = Math.max(1, Math.floor(config.concurrency / 4))
  let timer: NodeJS.Timeout | undefined
  /** Rounds are scheduled (start() until stop()). */
  let started = false
  /** Attempts are made and recorded (while started, or during drain()). */
  let running = false
  let round: Promise<boolean> | undefined
  let woken = false
  const perSubscription = new Map<string, number>()
  let lastPrune = 0

  async function fanOut(): Promise<number> {
    if (!(await repo.feedAhead(db))) return 0
    return db.transaction(async (tx) => {
      const last = await repo.claimFanout(tx)
      if (last === undefined) return 0
      const targets = await repo.fanoutTargets(tx)
      // About FANOUT_ROWS deliveries per round: the first are sent while later entries fan out.
      const entries = await repo.feedAfter(tx, last, Math.min(FANOUT_BATCH, Math.max(1, Math.floor(FANOUT_ROWS / Math.max(1, targets.length)))))
      if (entries.length === 0) return 0
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
      for (let start = 0; start < rows.length; start += FANOUT_BATCH) await repo.queueDeliveries(tx, rows.slice(start, start + FANOUT_BATCH))
      await repo.advanceFanout(tx, entries.at(-1)!.sequence)
      return entries.length
    })
  }

  /** Outcomes waiting to be written, and whether a batch is being written now. */
  let outcomes: Outcome[] = []
  let flushing: Promise<void> | undefined

  /**
   * Writes the waiting outcomes, up to OUTCOME_BATCH at a time, each batch in one transaction
   * of a few statements (whatever finished while one batch was being written goes into the
   * next). Deliveries deleted meanwhile (with their subscription) are left out.
   */
  async function flush(): Promise<void> {
    while (outcomes.length > 0) {
      const batch = outcomes.slice(0, OUTCOME_BATCH)
      outcomes = outcomes.slice(OUTCOME_BATCH)
      try {
        await db.transaction(async (tx) => {
          const present = await repo.lockDeliveries(tx, batch.map(({ delivery }) => delivery.id))
          const recorded = batch.filter(({ delivery }) => present.has(delivery.id))
          await repo.insertAttempts(tx, recorded.map(({ delivery, result }) => ({
            deliveryId: delivery.id,
            at: new Date(result.finishedAt - result.durationMs),
            statusCode: result.statusCode,
            durationMs: result.durationMs,
            error: result.error,
            responseBody: result.responseBody,
          })))
          const succeeded = recorded.filter(({ result }) => isSuccess(result))
          await repo.finishSucceeded(
            tx,
            succeeded.map(({ delivery }) => delivery.id),
            [...new Set(succeeded.filter(({ delivery }) => !delivery.manual).map(({ delivery }) => delivery.subscriptionId))],
          )
          for (const outcome of recorded) if (!isSuccess(outcome.result)) await recordFailure(tx, outcome)
        })
      } catch (error) {
        // Not recorded: their leases run out and they are sent again (at least once).
        log.error({ err: error, deliveries: batch.map(({ delivery }) => delivery.id) }, 'webhook outcomes could not be recorded')
      }
      // Written (or given up): room in the queue for more claims.
      if (canClaim()) wake()
    }
  }

  async function recordFailure(tx: Executor, { delivery, result }: Outcome): Promise<void> {
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
  }

  /** Queues an outcome for the next batch (its slot is free at once: the lease covers the wait). */
  function record(delivery: ClaimedDelivery, result: AttemptResult & { finishedAt: number }): void {
    outcomes.push({ delivery, result })
    startFlush()
  }

  /** Until every queued outcome has been written (or given up). */
  async function settled(): Promise<void> {
    for (let current = flushing; current !== undefined; current = flushing) await current
  }

  function startFlush(): void {
    if (flushing !== undefined) return
    flushing = flush().finally(() => {
      flushing = undefined
      // Queued after the last batch was taken but before this one ended.
      if (outcomes.length > 0) startFlush()
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
    record(delivery, { ...result, finishedAt: Date.now() })
  }

  function launch(delivery: ClaimedDelivery): void {
    perSubscription.set(delivery.subscriptionId, (perSubscription.get(delivery.subscriptionId) ?? 0) + 1)
    const task = deliver(delivery)
      .catch((error: unknown) => log.error({ err: error, delivery: delivery.id }, 'webhook delivery failed'))
      .finally(() => {
        inFlight.delete(task)
        const left = perSubscription.get(delivery.subscriptionId)! - 1
        if (left === 0) perSubscription.delete(delivery.subscriptionId)
        else perSubscription.set(delivery.subscriptionId, left)
        // Room for a batch again: claim more at once rather than at the next poll.
        if (canClaim()) wake()
      })
    inFlight.add(task)
  }

  /**
   * Claims come in batches: with fewer slots free, the deliveries under way end first (and wake
   * the dispatcher); so do the outcomes waiting to be written when they are many.
   */
  function canClaim(): boolean {
    return config.concurrency - inFlight.size >= claimBatch && outcomes.length < OUTCOME_BATCH
  }

  /** One round: fan out, prune now and then, claim and start what is due; true when it found work. */
  async function runRound(): Promise<boolean> {
    const fanned = await fanOut()
    if (Date.now() - lastPrune > PRUNE_EVERY_MS) {
      lastPrune = Date.now()
      await repo.prune(db, config.logRetentionMs, PRUNE_BATCH)
    }
    if (!canClaim() || !running) return fanned > 0
    const room = config.concurrency - inFlight.size
    const busy = [...perSubscription].filter(([, count]) => count >= config.concurrencyPerSubscription).map(([id]) => id)
    const claimed = await repo.claimDue(db, { limit: room, perSubscription: config.concurrencyPerSubscription, busy, leaseMs })
    for (const delivery of claimed) launch(delivery)
    return fanned > 0 || claimed.length > 0
  }

  /**
   * Rounds run one at a time: the next comes at once after one that found work (or when a
   * delivery ends and frees a slot), else after the poll interval.
   */
  function schedule(delayMs = config.pollIntervalMs): void {
    if (!started || round !== undefined) return
    clearTimeout(timer)
    timer = setTimeout(() => {
      timer = undefined
      round = runRound().then(
        (busy) => busy,
        (error: unknown) => {
          log.warn({ err: error }, 'webhook dispatcher round failed')
          return false
        },
      )
      void round.then((busy) => {
        round = undefined
        schedule(busy || woken ? 0 : config.pollIntervalMs)
        woken = false
      })
    }, delayMs)
    timer.unref()
  }

  /** A slot came free: run a round soon (after the current one, if one is running). */
  function wake(): void {
    if (!started) return
    if (round !== undefined) woken = true
    else schedule(0)
  }

  return {
    start(): void {
      if (started) return
      started = true
      running = true
      schedule()
    },
    /**
     * Stops claiming, aborts the attempts under way (without recording them: their leases
     * run out and they are sent again) and waits for the current round to end.
     */
    async stop(): Promise<void> {
      started = false
      running = false
      clearTimeout(timer)
      transport.abortAll()
      await round
      await Promise.allSettled([...inFlight])
      await settled()
      transport.close()
    },
    /** Runs one round and waits for its deliveries (for tests and the command line). */
    async drain(): Promise<void> {
      const wasRunning = running
      running = true
      try {
        await runRound()
        await Promise.allSettled([...inFlight])
        await settled()
      } finally {
        running = wasRunning
      }
    },
  }
}

export type Dispatcher = ReturnType<typeof createDispatcher>
