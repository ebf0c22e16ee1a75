import { desc, eq, sql } from 'drizzle-orm'
import { columnList, recordset } from '../../db/bulk.js'
import type { Executor } from '../../db/client.js'
import { lockAuditChain, lockChangeFeed } from '../../db/locks.js'
import { auditLog, changes } from '../../db/schema.js'
import type { ChangeEntry } from './entries.js'

export type AuditRow = typeof auditLog.$inferSelect
export type NewAuditRow = Omit<AuditRow, 'id'>

const CHUNK = 1000

const APPENDED_KEYS = ['type', 'entityId', 'action', 'version', 'institution', 'visibleTo', 'validFrom', 'validUntil'] as const

/** The write side of the audit trail and the change feed (their reads live in audit/ and changes/). */
export const journalRepository = {
  /** Holds the chain until commit, so each record follows the one before it. */
  async lockChain(tx: Executor, chain: string): Promise<void> {
    await lockAuditChain(tx, chain)
  },

  async lastOfChain(db: Executor, chain: string): Promise<AuditRow | undefined> {
    const [row] = await db.select().from(auditLog).where(eq(auditLog.chain, chain)).orderBy(desc(auditLog.id)).limit(1)
    return row
  },

  async insertAudit(db: Executor, row: NewAuditRow): Promise<void> {
    await db.insert(auditLog).values(row)
  },

  /**
   * Appends entries to the feed. Must be the last statement of the transaction: the feed
   * lock it takes is held until commit, which is what keeps sequences in commit order.
   */
  async appendChanges(tx: Executor, entries: ChangeEntry[], at: Date): Promise<void> {
    if (entries.length === 0) return
    await lockChangeFeed(tx)
    for (let start = 0; start < entries.length; start += CHUNK) {
      // One jsonb recordset per chunk (see db/bulk.ts); `n` keeps the sequences in the
      // order of the entries.
      const rows = entries.slice(start, start + CHUNK).map((entry, n) => ({
        type: entry.type,
        entityId: entry.id,
        action: entry.action,
        version: entry.version,
        institution: entry.institution,
        visibleTo: entry.visibleTo ?? null,
        validFrom: entry.validity?.validFrom ?? null,
        validUntil: entry.validity?.validUntil ?? null,
        n,
      }))
      const input = recordset(changes, APPENDED_KEYS, rows, { n: 'integer' })
      await tx.execute(sql`
        insert into ${changes} (${columnList(changes, [...APPENDED_KEYS, 'at'])})
        select ${sql.join(APPENDED_KEYS.map(input.columns), sql`, `)}, ${at}
        from ${input.from}
        order by ${input.columns('n')}`)
    }
  },
}
