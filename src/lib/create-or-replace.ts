import { Errors } from '../errors.js'
import { assertPreconditions, type Preconditions } from './preconditions.js'

export interface CreateOrReplaceSteps<Row> {
  /** The current row, locked for the rest of the transaction. */
  findForUpdate(): Promise<Row | undefined>
  /** Inserts the new row, or returns undefined when one with the same key exists. */
  insert(): Promise<Row | undefined>
  /** The row's current entity tag, for If-Match / If-None-Match. */
  etag(row: Row): string
  /** True when the write would not change what the current row says. */
  isUnchanged(current: Row): boolean
  update(current: Row): Promise<Row>
  /**
   * Why the new state may not be written, if it may not. Thrown only when something would be
   * written: a write identical to what is stored succeeds even if a rule made since refuses it.
   */
  refusal?: Error
}

export interface CreateOrReplaceResult<Row> {
  row: Row
  /** The row before the write (undefined when created). */
  previous: Row | undefined
  created: boolean
  /** False when the content was identical: nothing was written. */
  changed: boolean
}

/**
 * PUT semantics for a resource addressed by its natural key, race-free: the insert relies on
 * the key's unique index, the replace on a row lock, and the preconditions (If-Match,
 * If-None-Match) are checked against the locked row. Runs inside the caller's transaction.
 */
export async function createOrReplace<Row>(
  steps: CreateOrReplaceSteps<Row>,
  preconditions: Preconditions,
): Promise<CreateOrReplaceResult<Row>> {
  if (preconditions.ifMatch === undefined && steps.refusal === undefined) {
    const inserted = await steps.insert()
    if (inserted) return { row: inserted, previous: undefined, created: true, changed: true }
  }
  const current = await steps.findForUpdate()
  assertPreconditions(preconditions, current === undefined ? undefined : steps.etag(current))
  if (current === undefined) throw steps.refusal ?? Errors.conflict('The resource was deleted while this request ran; retry it')
  if (steps.isUnchanged(current)) return { row: current, previous: current, created: false, changed: false }
  if (steps.refusal !== undefined) throw steps.refusal
  return { row: await steps.update(current), previous: current, created: false, changed: true }
}
