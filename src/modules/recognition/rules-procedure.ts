import type { FieldError } from '../../errors.js'

/**
 * The procedure of individual decisions: the time limit an institution sets in advance
 * (Lisbon Recognition Convention, art. III.5: decisions "within a reasonable time limit
 * specified beforehand"). Pure: no HTTP, no SQL.
 */

/** ISO 8601 durations in whole years, months, weeks and days: P4M, P120D, P6W, P1Y. */
export const DURATION_PATTERN = '^P(?=[0-9])([0-9]+Y)?([0-9]+M)?([0-9]+W)?([0-9]+D)?$'

/** The shortest and longest number of days a duration can mean (a month is 28–31 days, a year 365–366). */
export function durationDays(duration: string): { least: number; most: number } | undefined {
  const match = new RegExp(DURATION_PATTERN).exec(duration)
  if (!match) return undefined
  const [years, months, weeks, days] = match.slice(1).map((part) => Number.parseInt(part ?? '0', 10)) as [number, number, number, number]
  const fixed = weeks * 7 + days
  return { least: years * 365 + months * 28 + fixed, most: years * 366 + months * 31 + fixed }
}

/** A time limit is at least a day and at most a year: longer is not a reasonable time. */
export function timeLimitErrors(duration: string): FieldError[] {
  const days = durationDays(duration)
  const error = (detail: string): FieldError => ({ in: 'body', pointer: '/decisionTimeLimit', code: 'TIME_LIMIT_RANGE', detail })
  if (!days) return [error('an ISO 8601 duration such as P4M or P120D')]
  if (days.least < 1) return [error('at least one day')]
  if (days.most > 366) return [error('at most a year: longer is not a reasonable time limit')]
  return []
}

/** Whole days from one date (YYYY-MM-DD) to another. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000)
}
