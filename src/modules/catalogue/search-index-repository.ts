import { sql } from 'drizzle-orm'
import { rowsOf, type Executor } from '../../db/client.js'
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
}

/**
 * What the ranking copy keeps of each published offer: its search document and the columns
 * search filters compare (the migration's trigger queues an offer when one of them changes).
 */
const COPIED = [
  offerSearchRanking.search,
  offerSearchRanking.institutionSchac,
  offerSearchRanking.alliances,
  offerSearchRanking.issuerCountries,
  offerSearchRanking.eqfLevel,
  offerSearchRanking.ects,
  offerSearchRanking.iscedPaths,
  offerSearchRanking.languages,
  offerSearchRanking.participation,
  offerSearchRanking.qaType,
  offerSearchRanking.stackable,
  offerSearchRanking.startDate,
].map((column) => column.name)

/** The copied columns, each prefixed (`o.search, …`), or bare. */
const columns = (prefix = '') => sql.raw(COPIED.map((name) => `${prefix}"${name}"`).join(', '))

export const searchIndexRepository = {
  /**
   * Brings the ranking copy of up to `limit` queued offers in line with the offers as they are
   * now, in one statement (one snapshot): the offers are taken off the queue (rows a writer
   * holds, queued again by a transaction not yet committed, are skipped and taken by a later
   * round), the published ones copied where their copy is missing or differs (an unchanged
   * copy is not written again: the RUM index costs each write), the others' copies removed.
   */
  async indexQueued(db: Executor, limit: number): Promise<IndexRound> {
    const [row] = rowsOf<{ claimed: number; written: number; removed: number }>(
      await db.execute(sql`
        with claimed as (
          delete from ${offerSearchPending}
          where ${offerSearchPending.offerId} in (
            select ${offerSearchPending.offerId} from ${offerSearchPending}
            order by ${offerSearchPending.queuedAt} limit ${limit} for update skip locked)
          returning ${offerSearchPending.offerId} as offer_id
        ), current as (
          select o.id, ${columns('o.')} from ${offers} o join claimed c on c.offer_id = o.id where o.status = 'published'
        ), written as (
          insert into ${offerSearchRanking} (offer_id, ${columns()}) select id, ${columns()} from current
          on conflict (offer_id) do update set (${columns()}) = (${columns('excluded.')})
          where (${columns('"offer_search_ranking".')}) is distinct from (${columns('excluded.')})
          returning 1
        ), removed as (
          delete from ${offerSearchRanking} r using claimed c
          where r.offer_id = c.offer_id and not exists (select 1 from current where current.id = c.offer_id)
          returning 1
        )
        select (select count(*) from claimed)::int as "claimed", (select count(*) from written)::int as "written",
               (select count(*) from removed)::int as "removed"`),
    )
    return row!
  },

  async backlog(db: Executor): Promise<IndexBacklog> {
    const [row] = rowsOf<{ pending: number; oldest: string | Date | null }>(
      await db.execute(sql`select count(*)::int as "pending", min(${offerSearchPending.queuedAt}) as "oldest" from ${offerSearchPending}`),
    )
    return { pending: row!.pending, oldest: row!.oldest === null ? null : new Date(row!.oldest) }
  },
}
