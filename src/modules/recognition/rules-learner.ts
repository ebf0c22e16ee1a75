/**
 * Learner references: one learner, one reference. Pure: no HTTP, no SQL.
 *
 * A reference is compared and stored in its normal form: Unicode NFKC (a fullwidth `ＬＲＮ`
 * is `LRN`), surrounding whitespace trimmed, lower case. It must stay pseudonymous (GDPR data
 * minimisation): no e-mail address, no date, no words separated by spaces such as a name.
 */

/** The form a learner reference is stored and compared in. */
export function normaliseLearnerRef(learnerRef: string): string {
  return learnerRef.normalize('NFKC').trim().toLowerCase().normalize('NFKC')
}

const EMAIL = /[^\s@]+@[^\s@]+\.[^\s@]+/
const DATES = [
  // ISO 8601 dates and date-times, anywhere in the reference: 1990-01-31, 1990-01-31T00:00, 19900131
  /(^|\D)\d{4}-\d{1,2}-\d{1,2}(\D|$)/,
  /(^|\D)\d{4}[./]\d{1,2}[./]\d{1,2}(\D|$)/,
  /(^|\D)\d{1,2}[./-]\d{1,2}[./-]\d{2,4}(\D|$)/,
  /(^|\D)(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(\D|$)/,
]

/** Why a learner reference is not pseudonymous (judged on its normal form), if it is not. */
export function learnerRefPersonalData(learnerRef: string): string | undefined {
  const normal = normaliseLearnerRef(learnerRef)
  if (EMAIL.test(normal)) return 'contains an e-mail address; use a pseudonymous reference'
  if (DATES.some((pattern) => pattern.test(normal))) return 'contains a date; use a pseudonymous reference'
  if (/\s/.test(normal)) return 'contains words separated by spaces (a name?); use one pseudonymous token such as a81f3c9e'
  if (normal.length === 0) return 'is empty once trimmed'
  return undefined
}

/** What identifies "the same decision" for a learner, apart from the reference itself. */
export interface LearnerDecision {
  id: string
  recognisingInstitution: string
  offerId: string
  purpose: string
  learnerRef: string
}

export interface LearnerRefCollision {
  recognisingInstitution: string
  offerId: string
  purpose: string
  /** The normal form the references share. */
  learnerKey: string
  decisions: Array<{ id: string; learnerRef: string }>
}

/**
 * Decisions (in force) whose references differ as stored but are the same once normalised:
 * several decisions for one learner, which the registrar resolves (nothing is merged).
 */
export function learnerRefCollisions(rows: LearnerDecision[]): LearnerRefCollision[] {
  const groups = new Map<string, LearnerRefCollision>()
  for (const row of rows) {
    const learnerKey = normaliseLearnerRef(row.learnerRef)
    const key = JSON.stringify([row.recognisingInstitution, row.offerId, row.purpose, learnerKey])
    const group = groups.get(key) ?? { recognisingInstitution: row.recognisingInstitution, offerId: row.offerId, purpose: row.purpose, learnerKey, decisions: [] }
    group.decisions.push({ id: row.id, learnerRef: row.learnerRef })
    groups.set(key, group)
  }
  return [...groups.values()].filter((group) => group.decisions.length > 1)
}
