import { and, asc, eq, gt, or, sql, type SQL } from 'drizzle-orm'
import { columnList, isAnyOf, recordset } from '../../db/bulk.js'
import type { Executor } from '../../db/client.js'
import { awardingConsents, offers } from '../../db/schema.js'
import type { LanguageMap } from '../../db/schema.js'
import type { AwardingAnswer, OfferStatus } from './schemas.js'

export type AwardingRow = typeof awardingConsents.$inferSelect

/** An awarding request as its institution lists it: the answer and the offer asking. */
export interface AwardingRequestRow extends AwardingRow {
  offerInstitution: string
  externalId: string
  offerStatus: OfferStatus
  title: LanguageMap | null
  /** requested_at in PostgreSQL's own text form, for the cursor (no precision lost). */
  requestedAtText: string
}

const REQUEST_KEYS = ['offerId', 'institutionSchac', 'requestedAt'] as const

const c = awardingConsents

/** The answers of the institutions offers name as awarding bodies (SQL through drizzle). */
export const awardingRepository = {
  /** Asks each institution about each offer, unless it was asked before (its answer stands). */
  async request(db: Executor, requests: Array<{ offerId: string; institutionSchac: string }>, now: Date): Promise<void> {
    if (requests.length === 0) return
    const input = recordset(c, REQUEST_KEYS, requests.map((request) => ({ ...request, requestedAt: now })))
    await db.execute(sql`
      insert into ${c} (${columnList(c, REQUEST_KEYS)})
      select ${sql.join(REQUEST_KEYS.map(input.columns), sql`, `)} from ${input.from}
      on conflict do nothing`)
  },

  /** The answers given about each of these offers, by SCHAC code. */
  async answersOf(db: Executor, offerIds: string[]): Promise<Map<string, Record<string, AwardingAnswer>>> {
    const answers = new Map<string, Record<string, AwardingAnswer>>()
    if (offerIds.length === 0) return answers
    const rows = await db.select({ offerId: c.offerId, schac: c.institutionSchac, status: c.status }).from(c).where(isAnyOf(c.offerId, offerIds, 'uuid'))
    for (const row of rows) answers.set(row.offerId, { ...answers.get(row.offerId), [row.schac]: row.status })
    return answers
  },

  async find(db: Executor, offerId: string, schac: string): Promise<AwardingRow | undefined> {
    const [row] = await db
      .select()
      .from(c)
      .where(and(eq(c.offerId, offerId), eq(c.institutionSchac, schac)))
      .limit(1)
    return row
  },

  /** Records an institution's answer (asking it first if it never was: offers named it before requests were kept). */
  async answer(db: Executor, offerId: string, schac: string, status: Exclude<AwardingAnswer, 'pending'>, now: Date): Promise<AwardingRow> {
    const [row] = await db
      .insert(c)
      .values({ offerId, institutionSchac: schac, status, requestedAt: now, decidedAt: now })
      .onConflictDoUpdate({ target: [c.offerId, c.institutionSchac], set: { status, decidedAt: now } })
      .returning()
    return row!
  },

  /**
   * The requests of one institution, oldest first, for offers it may see (published, or
   * withdrawn after publication: as catalogue/visibility.ts decides) that name it now.
   * One more row than the limit.
   */
  async list(
    db: Executor,
    filter: { institution: string; status?: AwardingAnswer; after?: { requestedAt: string; offerId: string }; limit: number },
  ): Promise<AwardingRequestRow[]> {
    const conditions: SQL[] = [
      eq(c.institutionSchac, filter.institution),
      sql`(${offers.status} = 'published' or (${offers.status} = 'withdrawn' and ${offers.publishedAt} is not null))`,
      sql`${offers.content}->'awardingBodies' @> jsonb_build_array(jsonb_build_object('schac', ${filter.institution}::text))`,
    ]
    if (filter.status !== undefined) conditions.push(eq(c.status, filter.status))
    if (filter.after !== undefined) {
      const at = sql`cast(${filter.after.requestedAt} as timestamptz)`
      conditions.push(or(gt(c.requestedAt, at), and(eq(c.requestedAt, at), gt(c.offerId, filter.after.offerId)))!)
    }
    return db
      .select({
        offerId: c.offerId,
        institutionSchac: c.institutionSchac,
        status: c.status,
        requestedAt: c.requestedAt,
        decidedAt: c.decidedAt,
        offerInstitution: offers.institutionSchac,
        externalId: offers.externalId,
        offerStatus: offers.status,
        title: sql<LanguageMap | null>`${offers.content}->'title'`,
        requestedAtText: sql<string>`${c.requestedAt}::text`,
      })
      .from(c)
      .innerJoin(offers, eq(offers.id, c.offerId))
      .where(and(...conditions))
      .orderBy(asc(c.requestedAt), asc(c.offerId))
      .limit(filter.limit + 1)
  },
}
