import { createHash } from 'node:crypto'
import { and, asc, eq, gt, or, sql } from 'drizzle-orm'
import type { Executor } from '../../db/client.js'
import { isAnyOf } from '../../db/bulk.js'
import { offerRuns, offers } from '../../db/schema.js'
import { canonicalJson } from '../../lib/canonical-json.js'
import type { RunInput } from './runs-schemas.js'
import type { OfferVisibility } from './visibility.js'

export type RunRow = typeof offerRuns.$inferSelect

/** Rows per multi-row insert: 17 parameters each, well under PostgreSQL's 65,535. */
const INSERT_CHUNK = 500

/** What a run write needs of its offer: who owns it, whether it is public, its forms of participation. */
export interface RunOfferRow extends OfferVisibility {
  id: string
  participation: string[] | null
}

/** A run as a write derives it from what the provider states: its columns for the search, and its hash. */
export function runColumns(input: RunInput) {
  return {
    content: input,
    contentHash: createHash('sha256').update(canonicalJson(input)).digest('hex'),
    startDate: input.startDate,
    endDate: input.endDate,
    applicationOpens: input.application?.opens ?? null,
    applicationCloses: input.application?.closes ?? null,
    placesAvailable: input.places?.available ?? null,
    mode: input.mode,
    openTo: input.eligibility?.openTo ?? 'anyone',
    openToInstitutions: input.eligibility?.institutions ?? [],
  }
}
export type RunColumns = ReturnType<typeof runColumns>

const runOfferColumns = {
  id: offers.id,
  institutionSchac: offers.institutionSchac,
  status: offers.status,
  publishedAt: offers.publishedAt,
  participation: sql<string[] | null>`${offers.content}->'participation'`,
}

export const runsRepository = {
  /**
   * The offer a run write addresses, held (FOR SHARE) until the transaction ends: an offer
   * write waits for it, so the run's mode is checked against the participation that stays.
   */
  async holdOffer(db: Executor, schac: string, externalId: string): Promise<RunOfferRow | undefined> {
    const [row] = await db
      .select(runOfferColumns)
      .from(offers)
      .where(and(eq(offers.institutionSchac, schac), eq(offers.externalId, externalId)))
      .limit(1)
      .for('share')
    return row
  },

  async offerById(db: Executor, id: string): Promise<RunOfferRow | undefined> {
    const [row] = await db.select(runOfferColumns).from(offers).where(eq(offers.id, id)).limit(1)
    return row
  },

  async find(db: Executor, offerId: string, runId: string, lock = false): Promise<RunRow | undefined> {
    const query = db
      .select()
      .from(offerRuns)
      .where(and(eq(offerRuns.offerId, offerId), eq(offerRuns.runId, runId)))
      .limit(1)
    const [row] = lock ? await query.for('update') : await query
    return row
  },

  async findById(db: Executor, id: string): Promise<RunRow | undefined> {
    const [row] = await db.select().from(offerRuns).where(eq(offerRuns.id, id)).limit(1)
    return row
  },

  /** Inserts a run unless its offer already has one with that run id (then undefined). */
  async insert(db: Executor, values: { offerId: string; institution: string; runId: string; now: Date }, columns: RunColumns): Promise<RunRow | undefined> {
    const [row] = await db
      .insert(offerRuns)
      .values({ offerId: values.offerId, institutionSchac: values.institution, runId: values.runId, createdAt: values.now, updatedAt: values.now, ...columns })
      .onConflictDoNothing({ target: [offerRuns.offerId, offerRuns.runId] })
      .returning()
    return row
  },

  /** Inserts new runs (a sync's), a chunk of rows per statement. */
  async insertMany(db: Executor, items: Array<{ offerId: string; institution: string; runId: string; columns: RunColumns }>, now: Date): Promise<RunRow[]> {
    const inserted: RunRow[] = []
    for (let start = 0; start < items.length; start += INSERT_CHUNK) {
      const rows = items
        .slice(start, start + INSERT_CHUNK)
        .map((item) => ({ offerId: item.offerId, institutionSchac: item.institution, runId: item.runId, createdAt: now, updatedAt: now, ...item.columns }))
      inserted.push(...(await db.insert(offerRuns).values(rows).returning()))
    }
    return inserted
  },

  async update(db: Executor, id: string, columns: RunColumns, now: Date): Promise<RunRow> {
    const [row] = await db
      .update(offerRuns)
      .set({ ...columns, revision: sql`${offerRuns.revision} + 1`, updatedAt: now })
      .where(eq(offerRuns.id, id))
      .returning()
    return row!
  },

  async delete(db: Executor, ids: string[]): Promise<void> {
    if (ids.length === 0) return
    await db.delete(offerRuns).where(isAnyOf(offerRuns.id, ids, 'uuid'))
  },

  /** The runs of an offer by start date, after a keyset position; one more than the limit. */
  async listOfOffer(db: Executor, offerId: string, after: readonly [string, string] | undefined, limit: number): Promise<RunRow[]> {
    const conditions = [eq(offerRuns.offerId, offerId)]
    if (after !== undefined) {
      const [startDate, id] = after
      conditions.push(or(gt(offerRuns.startDate, startDate), and(eq(offerRuns.startDate, startDate), gt(offerRuns.id, id)))!)
    }
    return db
      .select()
      .from(offerRuns)
      .where(and(...conditions))
      .orderBy(asc(offerRuns.startDate), asc(offerRuns.id))
      .limit(limit + 1)
  },

  /** The runs of an offer by start date, a page by number: `limit` of them after skipping `offset`. */
  async pageOfOffer(db: Executor, offerId: string, offset: number, limit: number): Promise<RunRow[]> {
    return db
      .select()
      .from(offerRuns)
      .where(eq(offerRuns.offerId, offerId))
      .orderBy(asc(offerRuns.startDate), asc(offerRuns.id))
      .offset(offset)
      .limit(limit)
  },

  /** The runs of these offers, locked for the rest of the transaction: what a sync compares against. */
  async lockRunsOf(db: Executor, offerIds: string[]): Promise<Array<Pick<RunRow, 'id' | 'offerId' | 'runId' | 'contentHash' | 'revision'>>> {
    if (offerIds.length === 0) return []
    return db
      .select({ id: offerRuns.id, offerId: offerRuns.offerId, runId: offerRuns.runId, contentHash: offerRuns.contentHash, revision: offerRuns.revision })
      .from(offerRuns)
      .where(isAnyOf(offerRuns.offerId, offerIds, 'uuid'))
      .for('update')
  },
}
