import { and, asc, eq, gt, isNull, or, sql, type SQL } from 'drizzle-orm'
import { columnList, recordset } from '../../db/bulk.js'
import type { Executor } from '../../db/client.js'
import { lockChangeFeed } from '../../db/locks.js'
import { changes } from '../../db/schema.js'
import type { ChangeAction, ChangeType } from './schemas.js'

export type ChangeRow = typeof changes.$inferSelect

export interface ChangeEntry {
  type: ChangeType
  id: string
  action: ChangeAction
  version: number | null
  institution: string | null
  /** Undefined for a public change; otherwise who may see it. */
  visibleTo?: string[]
}

const CHUNK = 1000

const APPENDED_KEYS = ['type', 'entityId', 'action', 'version', 'institution', 'visibleTo'] as const

export function createChangeRepository() {
  return {
    /**
     * Appends entries to the feed. Must be the last statement of the transaction: the feed
     * lock it takes is held until commit, which is what keeps sequences in commit order.
     */
    async append(tx: Executor, entries: ChangeEntry[], at: Date): Promise<void> {
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

    async list(
      db: Executor,
      filter: {
        after: number
        limit: number
        type?: ChangeType
        institution?: string
        viewer: string | null
        /** Private recognition entries (individual decisions) need recognition:read. */
        viewerReadsRecognitions: boolean
      },
    ): Promise<ChangeRow[]> {
      const conditions: SQL[] = [gt(changes.sequence, filter.after)]
      const privateVisible = filter.viewerReadsRecognitions
        ? sql`${changes.visibleTo} @> array[${filter.viewer}]::text[]`
        : sql`${changes.type} <> 'recognition' and ${changes.visibleTo} @> array[${filter.viewer}]::text[]`
      const visible: SQL = filter.viewer ? or(isNull(changes.visibleTo), privateVisible)! : isNull(changes.visibleTo)
      conditions.push(visible)
      if (filter.type !== undefined) conditions.push(eq(changes.type, filter.type))
      if (filter.institution !== undefined) conditions.push(eq(changes.institution, filter.institution))
      return db
        .select()
        .from(changes)
        .where(and(...conditions))
        .orderBy(asc(changes.sequence))
        .limit(filter.limit)
    },
  }
}

export type ChangeRepository = ReturnType<typeof createChangeRepository>
