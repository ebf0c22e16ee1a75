/**
 * Credit and hour values, wherever they occur (an offer's ECTS and workload, a decision's
 * credits and its components): at most two decimals, and none so small it means nothing.
 * Pure: no HTTP, no SQL.
 */

/** The smallest credit value stated: a tenth of an ECTS credit, two and a half to three hours of work. */
export const MIN_CREDITS = 0.1
/** The smallest workload stated, in hours. */
export const MIN_HOURS = 1

/**
 * At most two decimals, written out. Values come from JSON, whose shortest decimal form is
 * what the client wrote: `2.5` and `59.99` pass; `1e-9`, `2.5e-8` and `0.125` do not.
 */
export function hasTwoDecimalsAtMost(value: number): boolean {
  return /^-?\d+(\.\d{1,2})?$/.test(String(value))
}

export type AmountProblem = { code: 'PRECISION' | 'MINIMUM'; detail: string }

/**
 * What is wrong with a credit or hour value, if anything: more than two decimals, or below
 * the minimum (zero allowed only where it has a meaning, such as credits a refusal recognises).
 */
export function amountProblems(value: number, unit: 'credits' | 'hours', options: { zeroAllowed?: boolean } = {}): AmountProblem[] {
  const problems: AmountProblem[] = []
  if (!hasTwoDecimalsAtMost(value)) problems.push({ code: 'PRECISION', detail: 'must have at most two decimals, written out (no exponent)' })
  const minimum = unit === 'credits' ? MIN_CREDITS : MIN_HOURS
  if (value < minimum && !(value === 0 && options.zeroAllowed)) {
    problems.push({ code: 'MINIMUM', detail: `must be at least ${minimum} ${unit === 'credits' ? 'ECTS credits' : 'hours'}${options.zeroAllowed ? ' (or 0)' : ''}` })
  }
  return problems
}
