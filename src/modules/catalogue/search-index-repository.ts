import { getTableColumns, sql, type SQL } from 'drizzle-orm'
import { isAnyOf } from '../../db/bulk.js'
import { rowsOf, type Database, type Executor } from '../../db/client.js'
import { offerSearchPending, offerSearchRanking, offers } from '../../db/schema.js'

/** What one round of the search indexer did. */
export interface IndexRound {
  /** Queued offers taken (and no longer queued). */
  claimed: number
  /** Ranking rows written: offers published now whose copy was missing or differed. */
  written: number
  /** Ranking rows removed: offers no longer published. */
  removed: number
}

/** The queue of offers waiting for the search indexer. */
export interface IndexBacklog {
  pending: number
  /** When the longest-waiting offer was queued; null when none waits. */
  oldest: Date | null
  /** How long ago that was by the database's clock, in seconds (0 when none waits). */
  lagSeconds: number
}

/**
 * What the ranking copy keeps of each published offer: every column of the copy but its key
 * (the search document and the columns search filters compare), each named as on `offers`.
 * The migrations' queueing trigger compares the same columns (a test checks it does).
 */
export const COPIED = Object.values(getTableColumns(offerSearchRanking))
  .map((column) => column.name)
  .filter((name) => name !== 'offer_id')

/** The copied columns, each prefixed (`o.search, …`), or bare. */
const columns = (prefix = '') => sql.raw(COPIED.map((name) => `${prefix}"${name}"`).join(', '))

export const searchIndexRepository = {
  /**
   * Brings the ranking copy of up to `limit` queued offers in line with the offers as they are
   * now, in one transaction of two statements. The first takes the offers off the queue: rows a
   * writer holds (queued again by a transaction not yet committed) are skipped and taken by a
   * later round. The second, whose snapshot is taken after the first has locked its rows, so it
   * sees every write that queued them, copies the published ones where their copy is missing or
   * differs (an unchanged copy is not written again: the RUM index costs each write) and removes
   * the others' copies. In one statement, the copy would be read in the snapshot taken before
   * the queue's rows were locked, which misses a write that commits in between: its queue entry
   * would be consumed and its text never copied.
   */
  async indexQueued(db: Database, limit: number): Promise<IndexRound> {
    return db.transaction(async (tx) => {
      const claimed = rowsOf<{ offer_id: string }>(
        await tx.execute(sql`
          delete from ${offerSearchPending}
          where ${offerSearchPending.offerId} in (
            select ${offerSearchPending.offerId} from ${offerSearchPending}
            order by ${offerSearchPending.queuedAt} limit ${limit} for update skip locked)
          returning ${offerSearchPending.offerId} as offer_id`),
      ).map((row) => row.offer_id)
      if (claimed.length === 0) return { claimed: 0, written: 0, removed: 0 }
      const [row] = rowsOf<{ written: number; removed: number }>(
        await tx.execute(sql`
          with current as (
            select ${offers.id}, ${columns()} from ${offers} where ${isAnyOf(offers.id, claimed, 'uuid')} and ${offers.status} = 'published'
          ), written as (
            insert into ${offerSearchRanking} (offer_id, ${columns()}) select id, ${columns()} from current
            on conflict (offer_id) do update set (${columns()}) = (${columns('excluded.')})
            where (${columns('"offer_search_ranking".')}) is distinct from (${columns('excluded.')})
            returning 1
          ), removed as (
            delete from ${offerSearchRanking}
            where ${isAnyOf(offerSearchRanking.offerId, claimed, 'uuid')} and not exists (select 1 from current where current.id = ${offerSearchRanking.offerId})
            returning 1
          )
          select (select count(*) from written)::int as "written", (select count(*) from removed)::int as "removed"`),
      )
      return { claimed: claimed.length, ...row! }
    })
  },

  /**
   * Queues every offer whose ranking copy is missing, differs from the offer or should not be
   * there (the offer is no longer published, or gone), for the indexer to repair: what migration
   * 0022 did once, for an operator to run after anything that may have written either table
   * around the triggers (a restore of one table, a manual fix, a replica promoted mid-round).
   * Offers already queued keep their place. Both tables are compared a range of ids at a time
   * (`batch` offers), so that no statement runs into the statement timeout whatever the
   * catalogue's size: at 100,000 offers on the benchmark's machine, one statement for all took
   * 1.2–2.8 s, five of 20,000 took 2.5 s in all.
   */
  async queueStale(db: Executor, batch = 20_000): Promise<number> {
    let queued = 0
    let after: string | null = null
    for (;;) {
      // The range's last id; null when fewer than `batch` offers are left (the range then runs to the end of both tables).
      const [bound]: Array<{ last: string | null }> = rowsOf<{ last: string | null }>(
        await db.execute(sql`
          select (select id from ${offers} where ${after === null ? sql`true` : sql`id > ${after}::uuid`} order by id offset ${batch - 1} limit 1) as "last"`),
      )
      const last: string | null = bound!.last
      const inRange = (column: SQL) => sql`${after === null ? sql`true` : sql`${column} > ${after}::uuid`} and ${last === null ? sql`true` : sql`${column} <= ${last}::uuid`}`
      const [row] = rowsOf<{ queued: number }>(
        await db.execute(sql`
          with stale as (
            select o.id as offer_id from ${offers} o left join ${offerSearchRanking} r on r.offer_id = o.id
            where ${inRange(sql`o.id`)} and o.status = 'published' and (r.offer_id is null or (${columns('r.')}) is distinct from (${columns('o.')}))
            union
            select r.offer_id from ${offerSearchRanking} r left join ${offers} o on o.id = r.offer_id
            where ${inRange(sql`r.offer_id`)} and (o.id is null or o.status <> 'published')
          ), queued as (
            insert into ${offerSearchPending} (offer_id) select offer_id from stale
            on conflict (offer_id) do nothing
            returning 1
          )
          select count(*)::int as "queued" from queued`),
      )
      queued += row!.queued
      if (last === null) return queued
      after = last
    }
  },

  async backlog(db: Executor): Promise<IndexBacklog> {
    const [row] = rowsOf<{ pending: number; oldest: string | Date | null; lag_seconds: number }>(
      await db.execute(sql`
        select count(*)::int as "pending", min(${offerSearchPending.queuedAt}) as "oldest",
          coalesce(greatest(extract(epoch from clock_timestamp() - min(${offerSearchPending.queuedAt})), 0), 0)::float8 as "lag_seconds"
        from ${offerSearchPending}`),
    )
    return { pending: row!.pending, oldest: row!.oldest === null ? null : new Date(row!.oldest), lagSeconds: Number(row!.lag_seconds) }
  },
}
