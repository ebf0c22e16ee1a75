import type { FieldError } from '../../errors.js'
import type { InvalidSyncOffer, SyncProblemCounts } from './schemas.js'

/**
 * Field errors a rejected sync reports in full; past them, only counts. A sync of 5,000 offers
 * with 40 bad keys each once answered with 207 MB of errors: a report must never cost more
 * than the request.
 */
export const MAX_REPORTED_ERRORS = 100

/**
 * The invalid offers of a sync: the first problems found in full (up to MAX_REPORTED_ERRORS
 * field errors), then, for the offers left out or cut short, only their count of errors, and
 * totals per code. Pointers are made only for what is reported.
 */
export class SyncProblems {
  private readonly reported: InvalidSyncOffer[] = []
  private readonly cut: SyncProblemCounts['byOffer'] = []
  private readonly byCode: Record<string, number> = {}
  private readonly indices = new Set<number>()
  private errorCount = 0
  private reportedErrors = 0

  /** Records an invalid offer; `errors` point into the offer and are made only when reported. */
  add(index: number, externalId: string | null, code: string, count: number, errors: () => FieldError[]): void {
    this.indices.add(index)
    this.byCode[code] = (this.byCode[code] ?? 0) + 1
    this.errorCount += count
    const room = MAX_REPORTED_ERRORS - this.reportedErrors
    if (room <= 0) {
      this.cut.push({ index, externalId, code, errors: count })
      return
    }
    const shown = errors()
      .slice(0, room)
      .map((error) => ({ ...error, pointer: `/offers/${index}${error.pointer}` }))
    this.reportedErrors += shown.length
    this.reported.push({ index, externalId, code, errors: shown })
    if (shown.length < count) this.cut.push({ index, externalId, code, errors: count })
  }

  has(index: number): boolean {
    return this.indices.has(index)
  }

  get size(): number {
    return this.indices.size
  }

  /** The problem's members: the reported offers and errors, and the counts when some were left out. */
  report(): { errors: FieldError[]; invalidOffers: InvalidSyncOffer[]; truncated?: true; counts?: SyncProblemCounts } {
    const invalidOffers = [...this.reported].sort((a, b) => a.index - b.index)
    const errors = invalidOffers.flatMap((offer) => offer.errors)
    if (this.cut.length === 0) return { errors, invalidOffers }
    return {
      errors,
      invalidOffers,
      truncated: true,
      counts: {
        invalidOffers: this.size,
        errors: this.errorCount,
        byCode: this.byCode,
        byOffer: [...this.cut].sort((a, b) => a.index - b.index),
      },
    }
  }
}
