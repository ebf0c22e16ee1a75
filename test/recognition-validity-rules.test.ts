import t from 'tap'
import { decidedAtInFuture, periodsOverlap, statusAt, type ValidityFacts } from '../src/modules/recognition/rules-validity.js'

const decision = (overrides: Partial<ValidityFacts> = {}): ValidityFacts => ({
  status: 'in_force', validFrom: '2027-01-01', validUntil: '2027-12-31', supersededAt: null, revokedAt: null, ...overrides,
})
const at = (iso: string) => new Date(iso)

t.test('a decision is in force from validFrom to validUntil, inclusive', async (t) => {
  t.equal(statusAt(decision(), at('2026-12-31T23:59:59Z')), 'scheduled', 'before it takes effect')
  t.equal(statusAt(decision(), at('2027-01-01T00:00:00Z')), 'in_force', 'on its first day')
  t.equal(statusAt(decision(), at('2027-12-31T23:59:59Z')), 'in_force', 'on its last day')
  t.equal(statusAt(decision(), at('2028-01-01T00:00:00Z')), 'expired', 'after it ends')
  t.equal(statusAt(decision({ validUntil: null }), at('2999-01-01T00:00:00Z')), 'in_force', 'no end')
  t.equal(statusAt(decision({ validFrom: '2099-01-01' }), at('2027-06-01T00:00:00Z')), 'scheduled', 'a decision from 2099 is not in force today')
})

t.test('superseded and revoked from the moment it happened; in force before', async (t) => {
  const superseded = decision({ status: 'superseded', supersededAt: at('2027-05-10T12:00:00Z') })
  t.equal(statusAt(superseded, at('2027-05-10T11:59:59Z')), 'in_force', 'a registrar checking the past sees it in force then')
  t.equal(statusAt(superseded, at('2027-05-10T12:00:00Z')), 'superseded')
  const revoked = decision({ status: 'revoked', revokedAt: at('2027-03-01T00:00:00Z') })
  t.equal(statusAt(revoked, at('2027-02-28T00:00:00Z')), 'in_force')
  t.equal(statusAt(revoked, at('2027-03-02T00:00:00Z')), 'revoked')
  t.equal(statusAt(decision({ status: 'revoked', revokedAt: at('2026-06-01T00:00:00Z') }), at('2027-06-01T00:00:00Z')), 'revoked', 'revoked before it took effect')
})

t.test('validity periods overlap when they share a day', async (t) => {
  const period = (validFrom: string, validUntil: string | null) => ({ validFrom, validUntil })
  t.ok(periodsOverlap(period('2027-01-01', '2027-06-30'), period('2027-06-30', null)), 'the last day of one is the first of the other')
  t.notOk(periodsOverlap(period('2027-01-01', '2027-06-30'), period('2027-07-01', null)), 'one follows the other')
  t.notOk(periodsOverlap(period('2027-07-01', null), period('2027-01-01', '2027-06-30')), 'in either order')
  t.ok(periodsOverlap(period('2027-01-01', null), period('2030-01-01', null)), 'two open ends')
  t.ok(periodsOverlap(period('2027-03-01', '2027-03-02'), period('2027-01-01', '2027-12-31')), 'one within the other')
})

t.test('a decision date in the future, beyond the clock skew', async (t) => {
  const now = at('2027-01-10T12:00:00Z')
  t.notOk(decidedAtInFuture(at('2027-01-10T12:05:00Z'), now))
  t.ok(decidedAtInFuture(at('2027-01-10T12:05:01Z'), now))
  t.notOk(decidedAtInFuture(at('2020-01-01T00:00:00Z'), now))
})
