import { and, asc, eq, gt, isNull, or, sql, type SQL } from 'drizzle-orm'
import type { Executor } from '../../db/client.js'
import { changes } from '../../db/schema.js'
import type { ChangeType } from '../journal/index.js'

export type ChangeRow = typeof changes.$inferSelect

export const changeRepository = {
  async list(
    db: Executor,
    filter: {
      after: number
      limit: number
      type?: ChangeType
      institution?: string
      viewer: string | null
      /** Private recognition entries (individual decisions) need recognition:read... */
      viewerReadsRecognitions: boolean
      /** ...or recognition:write, for those of decisions the viewer's institution recorded. */
      viewerWritesRecognitions: boolean
    },
  ): Promise<ChangeRow[]> {
    const conditions: SQL[] = [gt(changes.sequence, filter.after)]
    const recognitionVisible = filter.viewerReadsRecognitions
      ? sql`true`
      : filter.viewerWritesRecognitions
        ? sql`${changes.institution} = ${filter.viewer}`
        : sql`false`
    const privateVisible = sql`(${changes.type} <> 'recognition' or ${recognitionVisible}) and ${changes.visibleTo} @> array[${filter.viewer}]::text[]`
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
