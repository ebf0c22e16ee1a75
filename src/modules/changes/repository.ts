import { and, asc, eq, gt, isNull, or, sql, type SQL } from 'drizzle-orm'
import type { Executor } from '../../db/client.js'
import { changes } from '../../db/schema.js'
import type { ChangeType } from '../journal/index.js'

/** What a feed page shows of an entry. */
const shown = {
  sequence: changes.sequence,
  type: changes.type,
  entityId: changes.entityId,
  action: changes.action,
  version: changes.version,
  at: changes.at,
  validFrom: changes.validFrom,
  validUntil: changes.validUntil,
}
export type ChangeRow = Pick<typeof changes.$inferSelect, keyof typeof shown>

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
      .select(shown)
      .from(changes)
      .where(and(...conditions))
      .orderBy(asc(changes.sequence))
      .limit(filter.limit)
  },
}
