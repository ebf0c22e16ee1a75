// When a failed delivery is tried again. Pure: the dispatcher passes the clock and the dice.

/** The response's Retry-After in milliseconds (delta-seconds or an HTTP date), if it has a usable one. */
export function retryAfterMs(header: string | undefined, now: number): number | undefined {
  if (header === undefined) return undefined
  const trimmed = header.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000
  const date = Date.parse(trimmed)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

/**
 * The delay before the next attempt after `attempts` failed ones, or undefined when the schedule
 * is exhausted. Jitter of up to ±20% spreads retries of many deliveries; a Retry-After longer
 * than the schedule's delay is honoured (up to the longest delay of the schedule).
 */
export function nextDelayMs(schedule: readonly number[], attempts: number, retryAfter: number | undefined, random: number): number | undefined {
  const base = schedule[attempts - 1]
  if (base === undefined) return undefined
  const jittered = Math.round(base * (0.8 + 0.4 * random))
  if (retryAfter === undefined) return jittered
  return Math.max(jittered, Math.min(retryAfter, Math.max(...schedule)))
}
