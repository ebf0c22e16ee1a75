import { and, asc, count, eq, gt, isNull, type SQL } from 'drizzle-orm'
import type { Executor } from '../../db/client.js'
import { apiClients } from '../../db/schema.js'
import type { Scope } from '../../lib/scopes.js'

export type ClientRow = typeof apiClients.$inferSelect

export interface ClientListFilter {
  institution?: string
  includeRevoked: boolean
  afterId?: string
  limit: number
}

export const clientRepository = {
  async insert(
    db: Executor,
    values: { institution: string | null; name: string; scopes: Scope[]; keyPrefix: string; keyHash: string },
  ): Promise<ClientRow> {
    const [row] = await db
      .insert(apiClients)
      .values({
        institutionSchac: values.institution,
        name: values.name,
        scopes: values.scopes,
        keyPrefix: values.keyPrefix,
        keyHash: values.keyHash,
      })
      .returning()
    return row!
  },

  /** The active (not revoked) client holding a key, by the key's hash. */
  async findActiveByKeyHash(db: Executor, keyHash: string): Promise<ClientRow | undefined> {
    const [row] = await db
      .select()
      .from(apiClients)
      .where(and(eq(apiClients.keyHash, keyHash), isNull(apiClients.revokedAt)))
      .limit(1)
    return row
  },

  /** How many clients an institution has, revoked ones included. */
  async countOfInstitution(db: Executor, schac: string): Promise<number> {
    const [row] = await db.select({ n: count() }).from(apiClients).where(eq(apiClients.institutionSchac, schac))
    return row?.n ?? 0
  },

  /** With `lock`, holds the row until the transaction ends, so writers of it take turns. */
  async findById(db: Executor, id: string, lock = false): Promise<ClientRow | undefined> {
    const query = db.select().from(apiClients).where(eq(apiClients.id, id)).limit(1)
    const [row] = lock ? await query.for('update') : await query
    return row
  },

  /** Keyset page ordered by id; fetches one row more than the limit. */
  async list(db: Executor, filter: ClientListFilter): Promise<ClientRow[]> {
    const conditions: SQL[] = []
    if (filter.institution !== undefined) conditions.push(eq(apiClients.institutionSchac, filter.institution))
    if (!filter.includeRevoked) conditions.push(isNull(apiClients.revokedAt))
    if (filter.afterId !== undefined) conditions.push(gt(apiClients.id, filter.afterId))
    return db
      .select()
      .from(apiClients)
      .where(and(...conditions))
      .orderBy(asc(apiClients.id))
      .limit(filter.limit + 1)
  },

  /** Marks an active client revoked; undefined when it was not active. */
  async revoke(db: Executor, id: string): Promise<ClientRow | undefined> {
    const [row] = await db
      .update(apiClients)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiClients.id, id), isNull(apiClients.revokedAt)))
      .returning()
    return row
  },
}
