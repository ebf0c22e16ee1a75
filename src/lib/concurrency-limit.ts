/**
 * At most `max` tasks at once; up to `queueMax` more wait, each at most `waitMs`, for a slot.
 * Beyond that a task is refused at once with the error `refuse` makes, so an expensive kind of
 * request cannot take every resource (a pool's connections) that other requests need.
 */
export class ConcurrencyLimit {
  private active = 0
  private readonly waiting: Array<() => void> = []

  constructor(
    private readonly max: number,
    private readonly queueMax: number,
    private readonly waitMs: number,
  ) {}

  async run<T>(work: () => Promise<T>, refuse: () => Error): Promise<T> {
    if (this.active < this.max) this.active++
    else await this.slot(refuse)
    try {
      return await work()
    } finally {
      // A waiting task takes the slot over; otherwise it is freed.
      const next = this.waiting.shift()
      if (next) next()
      else this.active--
    }
  }

  private slot(refuse: () => Error): Promise<void> {
    if (this.waiting.length >= this.queueMax) return Promise.reject(refuse())
    return new Promise((resolve, reject) => {
      const take = () => {
        clearTimeout(timer)
        resolve()
      }
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(take), 1)
        reject(refuse())
      }, this.waitMs)
      this.waiting.push(take)
    })
  }
}
