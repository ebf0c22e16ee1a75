import { and, asc, eq, getTableColumns, gt, gte, isNull, or, sql, type SQL } from 'drizzle-orm'
import { isAnyOf } from '../../db/bulk.js'
import type { Executor } from '../../db/client.js'
import { recognitionDecisions, recognitionSettings } from '../../db/schema.js'

export type DecisionRow = typeof recognitionDecisions.$inferSelect
export type NewDecision = typeof recognitionDecisions.$inferInsert
export type DecisionStatusFilter = 'in_force' | 'scheduled' | 'superseded' | 'revoked' | 'expired'

/** What decisions in force must not overlap by: the learner by the normal form of the reference. */
export interface DecisionKey {
  recognisingInstitution: string
  offerId: string
  scope: 'ex_ante' | 'individual'
  learnerKey: string | null
  purpose: string
}

/** Who sees individual decisions in a list (ex-ante ones are public). */
export interface DecisionViewer {
  /** With recognition:read: the decisions its institution recorded or whose offer it provides. */
  reader: string | null
  /** With recognition:write: the decisions its institution recorded. */
  writer: string | null
}

export interface DecisionListFilter {
  offerId?: string
  offeringInstitution?: string
  recognisingInstitution?: string
  outcome?: string
  scope?: string
  purpose?: string
  status?: DecisionStatusFilter
  /** In normal form. */
  learnerKey?: string
  decidedSince?: Date
  /** The moment the status filter is judged at; undefined for now. */
  at?: Date
  viewer: DecisionViewer
  after?: { createdAt: string; id: string }
  limit: number
}

const d = recognitionDecisions

/** The statements of a decision's details that the registrar's views show (not its justification, differences, appeal...). */
export const ENTRY_DETAILS = ['recognisedAs', 'conditions', 'individualAssessment', 'decidingBody', 'contact', 'policyUrl', 'covers'] as const
export type DecisionEntryDetails = Pick<DecisionRow['details'], (typeof ENTRY_DETAILS)[number]>

/**
 * The columns of a decision that the registrar's view of an offer shows. Of `details`, only the
 * statements it shows leave the database (a batch of 100 offers reads some 200 decisions):
 * less to send and to parse for every decision.
 */
const entryColumns = {
  id: d.id,
  recognisingInstitution: d.recognisingInstitution,
  offerId: d.offerId,
  offerVersion: d.offerVersion,
  purpose: d.purpose,
  outcome: d.outcome,
  creditsRecognised: d.creditsRecognised,
  details: sql<DecisionEntryDetails>`coalesce((select jsonb_object_agg(key, value) from jsonb_each(${d.details})
    where key = any(${`{${ENTRY_DETAILS.join(',')}}`}::text[])), '{}'::jsonb)`.as('details'),
  validFrom: d.validFrom,
  validUntil: d.validUntil,
  decidedAt: d.decidedAt,
}
export type DecisionEntryRow = Omit<Pick<DecisionRow, keyof typeof entryColumns>, 'details'> & { details: DecisionEntryDetails }

/**
 * The decisions with a status at a moment, as rules-validity.ts `statusAt` judges it: recorded
 * by then, superseded or revoked by then or not, and the moment's date (UTC) within validity.
 * Now (no moment given), the stored status says what happened already, which the index on
 * (offer, status) serves.
 */
export function statusAtSql(status: DecisionStatusFilter, at?: Date): SQL {
  const day = sql`cast(${(at ?? new Date()).toISOString().slice(0, 10)} as date)`
  let standing: SQL
  if (at === undefined) {
    if (status === 'revoked' || status === 'superseded') return eq(d.status, status)
    standing = sql`${d.status} = 'in_force'`
  } else {
    const moment = sql`cast(${at.toISOString()} as timestamptz)`
    const revoked = sql`(${d.revokedAt} is not null and ${d.revokedAt} <= ${moment})`
    const superseded = sql`(${d.supersededAt} is not null and ${d.supersededAt} <= ${moment})`
    if (status === 'revoked') return revoked
    if (status === 'superseded') return sql`(not ${revoked} and ${superseded})`
    standing = sql`${d.createdAt} <= ${moment} and not ${revoked} and not ${superseded}`
  }
  if (status === 'scheduled') return sql`(${standing} and ${d.validFrom} > ${day})`
  if (status === 'expired') return sql`(${standing} and ${d.validUntil} < ${day})`
  return sql`(${standing} and ${d.validFrom} <= ${day} and (${d.validUntil} is null or ${d.validUntil} >= ${day}))`
}

export function visibleTo(viewer: DecisionViewer): SQL {
  const seen: SQL[] = [eq(d.scope, 'ex_ante')]
  if (viewer.reader !== null) seen.push(eq(d.recognisingInstitution, viewer.reader), eq(d.offeringInstitution, viewer.reader))
  if (viewer.writer !== null) seen.push(eq(d.recognisingInstitution, viewer.writer))
  return or(...seen)!
}

/** The day an individual application was complete, as its decision states it. */
const completeOn = sql`cast(${d.details}->>'applicationCompleteOn' as date)`

/** The day a decision on an application complete on `completeOn` was due, given a time limit (ISO 8601 duration). */
const dueBy = (timeLimit: string) => sql`cast(${completeOn} + cast(${timeLimit} as interval) as date)`

/** Individual decisions of an institution taken after the time limit ran out. */
const overdueOf = (institution: string, timeLimit: string) =>
  and(
    eq(d.recognisingInstitution, institution),
    eq(d.scope, 'individual'),
    sql`${d.details} ? 'applicationCompleteOn'`,
    sql`cast(${d.decidedAt} at time zone 'UTC' as date) > ${dueBy(timeLimit)}`,
  )!

export interface OverdueRow {
  id: string
  offerId: string
  learnerRef: string | null
  status: DecisionRow['status']
  decidedAt: Date
  decidedAtText: string
  applicationCompleteOn: string
  dueBy: string
}

export const recognitionRepository = {
  async settingsOf(db: Executor, institution: string): Promise<typeof recognitionSettings.$inferSelect | undefined> {
    const [row] = await db.select().from(recognitionSettings).where(eq(recognitionSettings.institutionSchac, institution)).limit(1)
    return row
  },

  async putSettings(db: Executor, institution: string, decisionTimeLimit: string, at: Date) {
    const [row] = await db
      .insert(recognitionSettings)
      .values({ institutionSchac: institution, decisionTimeLimit, updatedAt: at })
      .onConflictDoUpdate({ target: recognitionSettings.institutionSchac, set: { decisionTimeLimit, updatedAt: at } })
      .returning()
    return row!
  },

  /** A keyset page of an institution's overdue decisions, in decision order. */
  async overdue(db: Executor, institution: string, timeLimit: string, after: { decidedAt: string; id: string } | undefined, limit: number): Promise<OverdueRow[]> {
    const conditions: SQL[] = [overdueOf(institution, timeLimit)]
    if (after !== undefined) {
      const at = sql`cast(${after.decidedAt} as timestamptz)`
      conditions.push(or(sql`${d.decidedAt} > ${at}`, and(sql`${d.decidedAt} = ${at}`, gt(d.id, after.id)))!)
    }
    return db
      .select({
        id: d.id,
        offerId: d.offerId,
        learnerRef: d.learnerRef,
        status: d.status,
        decidedAt: d.decidedAt,
        decidedAtText: sql<string>`${d.decidedAt}::text`,
        applicationCompleteOn: sql<string>`${completeOn}::text`,
        dueBy: sql<string>`${dueBy(timeLimit)}::text`,
      })
      .from(d)
      .where(and(...conditions))
      .orderBy(asc(d.decidedAt), asc(d.id))
      .limit(limit + 1)
  },

  async countOverdue(db: Executor, institution: string, timeLimit: string): Promise<number> {
    const [row] = await db.select({ n: sql<number>`cast(count(*) as integer)` }).from(d).where(overdueOf(institution, timeLimit))
    return row!.n
  },

  async findById(db: Executor, id: string, lock = false): Promise<DecisionRow | undefined> {
    const query = db.select().from(d).where(eq(d.id, id)).limit(1)
    const [row] = lock ? await query.for('update') : await query
    return row
  },

  /**
   * The decisions recorded for a key and neither superseded nor revoked (whatever their
   * validity), locked, oldest first: those a new decision must not overlap unless it supersedes them.
   */
  async findStanding(db: Executor, key: DecisionKey): Promise<DecisionRow[]> {
    return db
      .select()
      .from(d)
      .where(
        and(
          eq(d.recognisingInstitution, key.recognisingInstitution),
          eq(d.offerId, key.offerId),
          eq(d.scope, key.scope),
          eq(d.purpose, key.purpose),
          key.learnerKey === null ? isNull(d.learnerKey) : eq(d.learnerKey, key.learnerKey),
          eq(d.status, 'in_force'),
        ),
      )
      .orderBy(asc(d.validFrom), asc(d.createdAt))
      .for('update')
  },

  /** Individual decisions neither superseded nor revoked, with their references as stored: where collisions are looked for. */
  async standingIndividual(db: Executor) {
    return db
      .select({ id: d.id, recognisingInstitution: d.recognisingInstitution, offerId: d.offerId, purpose: d.purpose, learnerRef: d.learnerRef })
      .from(d)
      .where(and(eq(d.scope, 'individual'), eq(d.status, 'in_force')))
      .orderBy(asc(d.createdAt), asc(d.id))
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
    const conditions: SQL[] = [visibleTo(filter.viewer)]
    if (filter.offerId !== undefined) conditions.push(eq(d.offerId, filter.offerId))
    if (filter.offeringInstitution !== undefined) conditions.push(eq(d.offeringInstitution, filter.offeringInstitution))
    if (filter.recognisingInstitution !== undefined) conditions.push(eq(d.recognisingInstitution, filter.recognisingInstitution))
    if (filter.outcome !== undefined) conditions.push(eq(d.outcome, filter.outcome as DecisionRow['outcome']))
    if (filter.scope !== undefined) conditions.push(eq(d.scope, filter.scope as DecisionRow['scope']))
    if (filter.purpose !== undefined) conditions.push(eq(d.purpose, filter.purpose))
    if (filter.learnerKey !== undefined) conditions.push(eq(d.learnerKey, filter.learnerKey))
    if (filter.decidedSince !== undefined) conditions.push(gte(d.decidedAt, filter.decidedSince))
    if (filter.status !== undefined) conditions.push(statusAtSql(filter.status, filter.at))
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

  /** Ex-ante decisions in force at a moment for the given offers (optionally by one institution): what a registrar's view shows. */
  async exAnteInForce(db: Executor, offerIds: string[], recognisingInstitution?: string, at?: Date): Promise<DecisionEntryRow[]> {
    if (offerIds.length === 0) return []
    const conditions: SQL[] = [isAnyOf(d.offerId, offerIds, 'uuid'), eq(d.scope, 'ex_ante'), statusAtSql('in_force', at)]
    if (recognisingInstitution !== undefined) conditions.push(eq(d.recognisingInstitution, recognisingInstitution))
    return db
      .select(entryColumns)
      .from(d)
      .where(and(...conditions))
      .orderBy(asc(d.offerId), asc(d.recognisingInstitution), asc(d.purpose))
  },
}
