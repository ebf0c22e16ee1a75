import { Errors } from '../errors.js'
import { assertPreconditions, type Preconditions } from './preconditions.js'

export interface Versioned {
  version: number
}

export interface CreateOrReplaceSteps<Row extends Versioned> {
  /** The current row, locked for the rest of the transaction. */
  findForUpdate(): Promise<Row | undefined>
  /** Inserts the new row, or returns undefined when one with the same key exists. */
  insert(): Promise<Row | undefined>
  /** True when the write would not change what the current row says. */
  isUnchanged(current: Row): boolean
  update(current: Row): Promise<Row>
}

export interface CreateOrReplaceResult<Row> {
  row: Row
  created: boolean
  /** False when the content was identical: no new version was made. */
  changed: boolean
}

/**
 * PUT semantics for a resource addressed by its natural key, race-free: the insert relies on
 * the key's unique index, the replace on a row lock, and the preconditions (If-Match,
 * If-None-Match) are checked against the locked row. Runs inside the caller's transaction.
 */
export async function createOrReplace<Row extends Versioned>(
  steps: CreateOrReplaceSteps<Row>,
  preconditions: Preconditions,
): Promise<CreateOrReplaceResult<Row>> {
  if (preconditions.ifMatch === undefined) {
    const inserted = await steps.insert()
    if (inserted) return { row: inserted, created: true, changed: true }
  }
  const current = await steps.findForUpdate()
  assertPreconditions(preconditions, current?.version)
  if (!current) throw Errors.conflict('The resource was deleted while this request ran; retry it')
  if (steps.isUnchanged(current)) return { row: current, created: false, changed: false }
  return { row: await steps.update(current), created: false, changed: true }
}
