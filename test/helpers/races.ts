import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { admin } from './app.js'

export interface DeletionRace {
  schac: string
  write: LightMyRequestResponse
  removal: LightMyRequestResponse
}

/**
 * Races writes that refer to an institution against that institution's deletion: rounds of
 * four fresh institutions, each written to and deleted at once, the writes sent first in
 * even rounds and the deletions in odd ones. Returns every pair of responses.
 */
export async function raceAgainstDeletion(
  app: FastifyInstance,
  options: {
    register: (schac: string) => Promise<unknown>
    write: (schac: string, round: number, index: number) => Promise<LightMyRequestResponse>
    rounds?: number
  },
): Promise<DeletionRace[]> {
  const races: DeletionRace[] = []
  for (let round = 0; round < (options.rounds ?? 40); round++) {
    const schacs = Array.from({ length: 4 }, (_, i) => `race${round}-${i}.example`)
    for (const schac of schacs) await options.register(schac)
    const writes = schacs.map((schac, i) => options.write(schac, round, i))
    const deletes = schacs.map((schac) => app.inject({ method: 'DELETE', url: `/v1/institutions/${schac}`, headers: admin }))
    const responses = await Promise.all(round % 2 === 0 ? [...writes, ...deletes] : [...deletes, ...writes])
    const [written, deleted] = round % 2 === 0 ? [responses.slice(0, 4), responses.slice(4)] : [responses.slice(4), responses.slice(0, 4)]
    schacs.forEach((schac, i) => races.push({ schac, write: written[i]!, removal: deleted[i]! }))
  }
  return races
}

/** How often each pair of statuses (write/delete) came out, for the test's comment. */
export function outcomeCounts(races: DeletionRace[]): string {
  const counts = new Map<string, number>()
  for (const { write, removal } of races) {
    const outcome = `${write.statusCode}/${removal.statusCode}`
    counts.set(outcome, (counts.get(outcome) ?? 0) + 1)
  }
  return JSON.stringify(Object.fromEntries(counts))
}
