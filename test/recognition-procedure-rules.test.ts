import t from 'tap'
import { daysBetween, durationDays, timeLimitErrors } from '../src/modules/recognition/rules-procedure.js'

t.test('durations in days, at least and at most', async (t) => {
  t.same(durationDays('P4M'), { least: 112, most: 124 })
  t.same(durationDays('P1Y2W3D'), { least: 382, most: 383 })
  t.same(durationDays('P30D'), { least: 30, most: 30 })
  t.equal(durationDays('P'), undefined)
  t.equal(durationDays('PT4H'), undefined, 'hours are not a time limit for a decision')
  t.equal(durationDays('4 months'), undefined)
})

t.test('a reasonable time limit: a day to a year', async (t) => {
  for (const limit of ['P4M', 'P120D', 'P6W', 'P1D', 'P11M']) t.same(timeLimitErrors(limit), [], limit)
  t.same(timeLimitErrors('P0D').map((e) => [e.pointer, e.code, e.detail]), [['/decisionTimeLimit', 'TIME_LIMIT_RANGE', 'at least one day']])
  t.match(timeLimitErrors('P1Y1D'), [{ code: 'TIME_LIMIT_RANGE', detail: /at most a year/ }])
  t.match(timeLimitErrors('P12M'), [{ code: 'TIME_LIMIT_RANGE' }], 'twelve months may be 372 days')
  t.match(timeLimitErrors('soon'), [{ detail: /ISO 8601/ }])
})

t.test('days between two dates', async (t) => {
  t.equal(daysBetween('2026-10-15', '2027-03-01'), 137)
  t.equal(daysBetween('2026-03-28', '2026-03-30'), 2, 'across a daylight-saving change')
  t.equal(daysBetween('2026-01-02', '2026-01-01'), -1)
})
