import type { FastifyBaseLogger } from 'fastify'
import type { SearchIndexerConfig } from '../../config.js'
import type { Database } from '../../db/client.js'
import { searchIndexRepository as repo, type IndexRound } from './search-index-repository.js'

/** How long after a failed round the next one comes. */
const FAILED_ROUND_DELAY_MS = 5_000

/**
 * Keeps the ranking copy of the published offers' search documents (offer_search_ranking) in
 * line with the offers, after the writes that change them have committed. Triggers queue every
 * offer whose document, status or copied filter column a write changes; each round takes a
 * batch off the queue in one transaction (searchIndexRepository.indexQueued), and the next
 * round follows at once while there is work, else after the poll interval. Several replicas
 * share the queue (SKIP LOCKED). A round that fails leaves its batch queued (its transaction
 * rolls back), is logged, and the next waits FAILED_ROUND_DELAY_MS (a database outage is not
 * logged five times a second).
 */
export function createSearchIndexer(db: Database, config: SearchIndexerConfig, log: FastifyBaseLogger) {
  let started = false
  let timer: NodeJS.Timeout | undefined
  /** The round under way in the background, settled with whether it succeeded. */
  let round: Promise<{ ok: true; done: IndexRound } | { ok: false }> | undefined

  async function runRound(): Promise<IndexRound> {
    const done = await repo.indexQueued(db, config.batch)
    if (done.claimed > 0) log.debug({ searchIndex: done }, 'search index: queued offers indexed')
    return done
  }

  function schedule(delayMs: number): void {
    if (!started || round !== undefined) return
    clearTimeout(timer)
    timer = setTimeout(() => {
      timer = undefined
      round = runRound().then(
        (done) => ({ ok: true as const, done }),
        (error: unknown) => {
          log.warn({ err: error }, 'search index round failed')
          return { ok: false as const }
        },
      )
      void round.then((outcome) => {
        round = undefined
        if (!outcome.ok) schedule(Math.max(config.pollIntervalMs, FAILED_ROUND_DELAY_MS))
        else schedule(outcome.done.claimed >= config.batch ? 0 : config.pollIntervalMs)
      })
    }, delayMs)
    timer.unref()
  }

  return {
    start(): void {
      if (started) return
      started = true
      schedule(0)
    },
    async stop(): Promise<void> {
      started = false
      clearTimeout(timer)
      await round
    },
    /**
     * Indexes what is queued, round after round, until a round takes less than a batch (for
     * tests, which run the app with the indexer stopped). With the background loop running, it
     * waits only for the round under way when it is called; entries the loop takes meanwhile,
     * or that writers hold, are not its own, so the queue may not be empty when it returns.
     */
    async drain(): Promise<number> {
      await round
      let indexed = 0
      for (;;) {
        const done = await runRound()
        indexed += done.claimed
        if (done.claimed < config.batch) return indexed
      }
    },
    backlog: () => repo.backlog(db),
  }
}

export type SearchIndexer = ReturnType<typeof createSearchIndexer>
