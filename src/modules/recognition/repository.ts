import { and, asc, eq, getTableColumns, gt, gte, isNull, or, sql, type SQL } from 'drizzle-orm'
import { isAnyOf } from '../../db/bulk.js'
import type { Executor } from '../../db/client.js'
import { recognitionDecisions } from '../../db/schema.js'

export type DecisionRow = typeof recognitionDecisions.$inferSelect
export type NewDecision = typeof recognitionDecisions.$inferInsert
export type DecisionStatusFilter = 'in_force' | 'superseded' | 'revoked' | 'expired'

export interface DecisionKey {
  recognisingInstitution: string
  offerId: string
  scope: 'ex_ante' | 'individual'
  learnerRef: string | null
  purpose: string
}

export interface DecisionListFilter {
  offerId?: string
  offeringInstitution?: string
  recognisingInstitution?: string
  outcome?: string
  scope?: string
  purpose?: string
  status?: DecisionStatusFilter
  learnerRef?: string
  decidedSince?: Date
  /** Individual decisions are listed only when the viewer's institution is a party. */
  viewerInstitution: string | null
  after?: { createdAt: string; id: string }
  limit: number
}

const d = recognitionDecisions

/** The columns of a decision that the registrar's view of an offer shows. */
const entryColumns = {
  id: d.id,
  recognisingInstitution: d.recognisingInstitution,
  offerId: d.offerId,
  offerVersion: d.offerVersion,
  purpose: d.purpose,
  outcome: d.outcome,
  creditsRecognised: d.creditsRecognised,
  details: d.details,
  validFrom: d.validFrom,
  validUntil: d.validUntil,
  decidedAt: d.decidedAt,
}
export type DecisionEntryRow = Pick<DecisionRow, keyof typeof entryColumns>

/** In force and valid today (or with no end), versus in force but past its end. */
const IN_FORCE_NOW = sql`(${d.status} = 'in_force' and (${d.validUntil} is null or ${d.validUntil} >= current_date))`
const EXPIRED = sql`(${d.status} = 'in_force' and ${d.validUntil} < current_date)`

export function visibleTo(viewerInstitution: string | null): SQL {
  if (viewerInstitution === null) return eq(d.scope, 'ex_ante')
  return or(
    eq(d.scope, 'ex_ante'),
    eq(d.recognisingInstitution, viewerInstitution),
    eq(d.offeringInstitution, viewerInstitution),
  )!
}

export const recognitionRepository = {
  async findById(db: Executor, id: string, lock = false): Promise<DecisionRow | undefined> {
    const query = db.select().from(d).where(eq(d.id, id)).limit(1)
    const [row] = lock ? await query.for('update') : await query
    return row
  },

  /** The decision in force for a key, locked: the one a new decision must supersede. */
  async findInForce(db: Executor, key: DecisionKey): Promise<DecisionRow | undefined> {
    const [row] = await db
      .select()
      .from(d)
      .where(
        and(
          eq(d.recognisingInstitution, key.recognisingInstitution),
          eq(d.offerId, key.offerId),
          eq(d.scope, key.scope),
          key.learnerRef === null ? isNull(d.learnerRef) : eq(d.learnerRef, key.learnerRef),
          eq(d.purpose, key.purpose),
          eq(d.status, 'in_force'),
        ),
      )
      .limit(1)
      .for('update')
    return row
  },

  async insert(db: Executor, values: NewDecision): Promise<DecisionRow> {
    const [row] = await db.insert(d).values(values).returning()
    return row!
  },

  /** Marks a decision in force as superseded; undefined if it no longer was in force. */
  async supersede(db: Executor, id: string, by: string, at: Date): Promise<DecisionRow | undefined> {
    const [row] = await db
      .update(d)
      .set({ status: 'superseded', supersededBy: by, supersededAt: at })
      .where(and(eq(d.id, id), eq(d.status, 'in_force')))
      .returning()
    return row
  },

  async revoke(db: Executor, id: string, reason: string, at: Date): Promise<DecisionRow | undefined> {
    const [row] = await db
      .update(d)
      .set({ status: 'revoked', revokedAt: at, revocationReason: reason })
      .where(and(eq(d.id, id), eq(d.status, 'in_force')))
      .returning()
    return row
  },

  /** The decisions linked to one by supersession, in both directions. */
  async chainOf(db: Executor, row: DecisionRow): Promise<DecisionRow[]> {
    const chain = [row]
    for (let previous = row.supersedes; previous;) {
      const found = await this.findById(db, previous)
      if (!found) break
      chain.unshift(found)
      previous = found.supersedes
    }
    for (let next = row.supersededBy; next;) {
      const found = await this.findById(db, next)
      if (!found) break
      chain.push(found)
      next = found.supersededBy
    }
    return chain
  },

  /** Keyset page in creation order; each row carries its exact creation time for the cursor. */
  async list(db: Executor, filter: DecisionListFilter): Promise<Array<DecisionRow & { createdAtText: string }>> {
    const conditions: SQL[] = [visibleTo(filter.viewerInstitution)]
    if (filter.offerId !== undefined) conditions.push(eq(d.offerId, filter.offerId))
    if (filter.offeringInstitution !== undefined) conditions.push(eq(d.offeringInstitution, filter.offeringInstitution))
    if (filter.recognisingInstitution !== undefined) conditions.push(eq(d.recognisingInstitution, filter.recognisingInstitution))
    if (filter.outcome !== undefined) conditions.push(eq(d.outcome, filter.outcome as DecisionRow['outcome']))
    if (filter.scope !== undefined) conditions.push(eq(d.scope, filter.scope as DecisionRow['scope']))
    if (filter.purpose !== undefined) conditions.push(eq(d.purpose, filter.purpose))
    if (filter.learnerRef !== undefined) conditions.push(eq(d.learnerRef, filter.learnerRef))
    if (filter.decidedSince !== undefined) conditions.push(gte(d.decidedAt, filter.decidedSince))
    if (filter.status === 'in_force') conditions.push(IN_FORCE_NOW)
    else if (filter.status === 'expired') conditions.push(EXPIRED)
    else if (filter.status !== undefined) conditions.push(eq(d.status, filter.status))
    if (filter.after !== undefined) {
      const at = sql`cast(${filter.after.createdAt} as timestamptz)`
      conditions.push(or(sql`${d.createdAt} > ${at}`, and(sql`${d.createdAt} = ${at}`, gt(d.id, filter.after.id)))!)
    }
    return db
      .select({ ...getTableColumns(d), createdAtText: sql<string>`${d.createdAt}::text` })
      .from(d)
      .where(and(...conditions))
      .orderBy(asc(d.createdAt), asc(d.id))
      .limit(filter.limit + 1)
  },

  /** Ex-ante decisions in force today for the given offers (optionally by one institution): what a registrar's view shows. */
  async exAnteInForce(db: Executor, offerIds: string[], recognisingInstitution?: string): Promise<DecisionEntryRow[]> {
    if (offerIds.length === 0) return []
    const conditions: SQL[] = [isAnyOf(d.offerId, offerIds, 'uuid'), eq(d.scope, 'ex_ante'), IN_FORCE_NOW]
    if (recognisingInstitution !== undefined) conditions.push(eq(d.recognisingInstitution, recognisingInstitution))
    return db
      .select(entryColumns)
      .from(d)
      .where(and(...conditions))
      .orderBy(asc(d.offerId), asc(d.recognisingInstitution), asc(d.purpose))
  },
}
