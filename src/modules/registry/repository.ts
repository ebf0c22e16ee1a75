import { and, asc, eq, exists, gt, inArray, sql, type SQL } from 'drizzle-orm'
import type { Executor } from '../../db/client.js'
import { allianceMembers, alliances, institutions, type LanguageMap } from '../../db/schema.js'

export type InstitutionRow = typeof institutions.$inferSelect
export type AllianceRow = typeof alliances.$inferSelect

export interface InstitutionValues {
  name: LanguageMap
  country: string
  website: string | null
  erasmusCode: string | null
  deqarId: string | null
}

export interface AllianceValues {
  name: string
  website: string | null
}

export interface InstitutionListFilter {
  alliance?: string
  country?: string
  afterSchac?: string
  /** Rows skipped first (OOAPI's page numbers); keyset lists use afterSchac. */
  offset?: number
  limit: number
}

export interface AllianceListFilter {
  member?: string
  afterSlug?: string
  limit: number
}

/** Groups membership pairs by one side. */
function groupBy(pairs: { key: string; value: string }[]): Map<string, string[]> {
  const grouped = new Map<string, string[]>()
  for (const { key, value } of pairs) {
    const list = grouped.get(key)
    if (list) list.push(value)
    else grouped.set(key, [value])
  }
  return grouped
}

export const registryRepository = {
  async findInstitution(db: Executor, schac: string, lock = false): Promise<InstitutionRow | undefined> {
    const query = db.select().from(institutions).where(eq(institutions.schac, schac)).limit(1)
    const [row] = lock ? await query.for('update') : await query
    return row
  },

  /** Inserts unless the SCHAC code is taken; undefined when it was. */
  async insertInstitution(db: Executor, schac: string, values: InstitutionValues): Promise<InstitutionRow | undefined> {
    const [row] = await db
      .insert(institutions)
      .values({ schac, ...values })
      .onConflictDoNothing({ target: institutions.schac })
      .returning()
    return row
  },

  async updateInstitution(db: Executor, schac: string, values: InstitutionValues): Promise<InstitutionRow> {
    const [row] = await db
      .update(institutions)
      .set({ ...values, version: sql`${institutions.version} + 1`, updatedAt: new Date() })
      .where(eq(institutions.schac, schac))
      .returning()
    return row!
  },

  /** Marks institutions changed because something they show (their alliances) changed. */
  async touchInstitutions(db: Executor, schacs: string[]): Promise<Array<{ schac: string; version: number }>> {
    if (schacs.length === 0) return []
    return db
      .update(institutions)
      .set({ version: sql`${institutions.version} + 1`, updatedAt: new Date() })
      .where(inArray(institutions.schac, schacs))
      .returning({ schac: institutions.schac, version: institutions.version })
  },

  async deleteInstitution(db: Executor, schac: string): Promise<void> {
    await db.delete(institutions).where(eq(institutions.schac, schac))
  },

  /** The alliances an institution is a member of, sorted. */
  async membershipsOf(db: Executor, schac: string): Promise<string[]> {
    const memberships = await db
      .select({ slug: allianceMembers.allianceSlug })
      .from(allianceMembers)
      .where(eq(allianceMembers.institutionSchac, schac))
      .orderBy(asc(allianceMembers.allianceSlug))
    return memberships.map((row) => row.slug)
  },

  /**
   * The subset of the given SCHAC codes that are registered. With `keep`, those stay
   * registered until the transaction ends (FOR KEY SHARE): a deletion under way is waited
   * for and then seen, and a later one waits, then finds what this transaction made refer
   * to them. A write that is about to refer to them takes this lock first.
   */
  async existingInstitutions(db: Executor, schacs: string[], keep = false): Promise<Set<string>> {
    if (schacs.length === 0) return new Set()
    const query = db
      .select({ schac: institutions.schac })
      .from(institutions)
      .where(inArray(institutions.schac, schacs))
    const rows = keep ? await query.for('key share') : await query
    return new Set(rows.map((row) => row.schac))
  },

  /** The country of each of the given SCHAC codes that is registered. */
  async countriesOf(db: Executor, schacs: string[]): Promise<Map<string, string>> {
    if (schacs.length === 0) return new Map()
    const rows = await db
      .select({ schac: institutions.schac, country: institutions.country })
      .from(institutions)
      .where(inArray(institutions.schac, schacs))
    return new Map(rows.map((row) => [row.schac, row.country]))
  },

  /**
   * The institution's country, held (FOR SHARE) until the transaction ends: a change of its
   * alliances (which updates the row) waits for the writer, or the writer for it, so an offer
   * is never written with the alliances of before a change that has already been applied.
   */
  async holdInstitution(db: Executor, schac: string): Promise<string | undefined> {
    const [row] = await db
      .select({ country: institutions.country })
      .from(institutions)
      .where(eq(institutions.schac, schac))
      .for('share')
    return row?.country
  },

  /** Keyset page ordered by SCHAC code; fetches one row more than the limit. */
  async listInstitutions(db: Executor, filter: InstitutionListFilter): Promise<InstitutionRow[]> {
    const conditions: SQL[] = []
    if (filter.country !== undefined) conditions.push(eq(institutions.country, filter.country))
    if (filter.afterSchac !== undefined) conditions.push(gt(institutions.schac, filter.afterSchac))
    if (filter.alliance !== undefined) {
      conditions.push(
        exists(
          db
            .select({ one: sql`1` })
            .from(allianceMembers)
            .where(
              and(
                eq(allianceMembers.allianceSlug, filter.alliance),
                eq(allianceMembers.institutionSchac, institutions.schac),
              ),
            ),
        ),
      )
    }
    return db
      .select()
      .from(institutions)
      .where(and(...conditions))
      .orderBy(asc(institutions.schac))
      .limit(filter.limit + 1)
      .offset(filter.offset ?? 0)
  },

  /** Alliance slugs of each institution, sorted. */
  async alliancesOf(db: Executor, schacs: string[]): Promise<Map<string, string[]>> {
    if (schacs.length === 0) return new Map()
    const rows = await db
      .select({ key: allianceMembers.institutionSchac, value: allianceMembers.allianceSlug })
      .from(allianceMembers)
      .where(inArray(allianceMembers.institutionSchac, schacs))
      .orderBy(asc(allianceMembers.institutionSchac), asc(allianceMembers.allianceSlug))
    return groupBy(rows)
  },

  async findAlliance(db: Executor, slug: string, lock = false): Promise<AllianceRow | undefined> {
    const query = db.select().from(alliances).where(eq(alliances.slug, slug)).limit(1)
    const [row] = lock ? await query.for('update') : await query
    return row
  },

  async insertAlliance(db: Executor, slug: string, values: AllianceValues): Promise<AllianceRow | undefined> {
    const [row] = await db
      .insert(alliances)
      .values({ slug, ...values })
      .onConflictDoNothing({ target: alliances.slug })
      .returning()
    return row
  },

  async updateAlliance(db: Executor, slug: string, values: AllianceValues): Promise<AllianceRow> {
    const [row] = await db
      .update(alliances)
      .set({ ...values, version: sql`${alliances.version} + 1`, updatedAt: new Date() })
      .where(eq(alliances.slug, slug))
      .returning()
    return row!
  },

  async deleteAlliance(db: Executor, slug: string): Promise<void> {
    await db.delete(alliances).where(eq(alliances.slug, slug))
  },

  async replaceMembers(db: Executor, slug: string, remove: string[], add: string[]): Promise<void> {
    if (remove.length > 0) {
      await db
        .delete(allianceMembers)
        .where(and(eq(allianceMembers.allianceSlug, slug), inArray(allianceMembers.institutionSchac, remove)))
    }
    if (add.length > 0) {
      await db.insert(allianceMembers).values(add.map((schac) => ({ allianceSlug: slug, institutionSchac: schac })))
    }
  },

  async listAlliances(db: Executor, filter: AllianceListFilter): Promise<AllianceRow[]> {
    const conditions: SQL[] = []
    if (filter.afterSlug !== undefined) conditions.push(gt(alliances.slug, filter.afterSlug))
    if (filter.member !== undefined) {
      conditions.push(
        exists(
          db
            .select({ one: sql`1` })
            .from(allianceMembers)
            .where(
              and(eq(allianceMembers.allianceSlug, alliances.slug), eq(allianceMembers.institutionSchac, filter.member)),
            ),
        ),
      )
    }
    return db
      .select()
      .from(alliances)
      .where(and(...conditions))
      .orderBy(asc(alliances.slug))
      .limit(filter.limit + 1)
  },

  /** Member SCHAC codes of each alliance, sorted. */
  async membersOf(db: Executor, slugs: string[]): Promise<Map<string, string[]>> {
    if (slugs.length === 0) return new Map()
    const rows = await db
      .select({ key: allianceMembers.allianceSlug, value: allianceMembers.institutionSchac })
      .from(allianceMembers)
      .where(inArray(allianceMembers.allianceSlug, slugs))
      .orderBy(asc(allianceMembers.allianceSlug), asc(allianceMembers.institutionSchac))
    return groupBy(rows)
  },
}
