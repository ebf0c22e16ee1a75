import { and, asc, eq, gt, gte, type SQL } from 'drizzle-orm'
import type { Executor } from '../../db/client.js'
import { auditLog } from '../../db/schema.js'

type AuditRow = typeof auditLog.$inferSelect

export interface AuditListFilter {
  institution?: string
  action?: string
  objectType?: string
  objectId?: string
  since?: Date
  afterId?: number
  limit: number
}

export const auditRepository = {
  async list(db: Executor, filter: AuditListFilter): Promise<AuditRow[]> {
    const conditions: SQL[] = []
    if (filter.institution !== undefined) conditions.push(eq(auditLog.institution, filter.institution))
    if (filter.action !== undefined) conditions.push(eq(auditLog.action, filter.action))
    if (filter.objectType !== undefined) conditions.push(eq(auditLog.objectType, filter.objectType))
    if (filter.objectId !== undefined) conditions.push(eq(auditLog.objectId, filter.objectId))
    if (filter.since !== undefined) conditions.push(gte(auditLog.at, filter.since))
    if (filter.afterId !== undefined) conditions.push(gt(auditLog.id, filter.afterId))
    return db
      .select()
      .from(auditLog)
      .where(and(...conditions))
      .orderBy(asc(auditLog.id))
      .limit(filter.limit + 1)
  },

  /** One chain's records in order, a batch at a time (for verification). */
  async chainBatch(db: Executor, chain: string, afterId: number, limit: number): Promise<AuditRow[]> {
    return db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.chain, chain), gt(auditLog.id, afterId)))
      .orderBy(asc(auditLog.id))
      .limit(limit)
  },

  async chains(db: Executor): Promise<string[]> {
    const rows = await db.selectDistinct({ chain: auditLog.chain }).from(auditLog).orderBy(asc(auditLog.chain))
    return rows.map((row) => row.chain)
  },
}
