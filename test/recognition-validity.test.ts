import t from 'tap'
import { bearer, startTestApp } from './helpers/app.js'
import { completeOffer } from './helpers/offers.js'

// Issue 15, points 8–10: in force means valid now (and at a moment asked), one learner one
// reference, a key that writes decisions manages its own.
const ctx = await startTestApp(t)
const { app } = ctx
for (const [schac, country] of [['unibo.it', 'IT'], ['kuleuven.be', 'BE'], ['helsinki.fi', 'FI']] as const) await ctx.institution(schac, country)
const keys = {
  bologna: bearer(await ctx.key('unibo.it', ['catalogue:write', 'recognition:read'])),
  leuven: bearer(await ctx.key('kuleuven.be', ['recognition:write', 'recognition:read'])),
  leuvenWriteOnly: bearer(await ctx.key('kuleuven.be', ['recognition:write'])),
  helsinkiWriteOnly: bearer(await ctx.key('helsinki.fi', ['recognition:write'])),
}
const putOffer = async (externalId: string) =>
  (await app.inject({ method: 'PUT', url: `/v1/institutions/unibo.it/offers/${externalId}`, headers: keys.bologna, payload: completeOffer({ ects: 6, workloadHours: 160 }) })).json()
const decide = (payload: object, headers: Record<string, string> = keys.leuven) => app.inject({ method: 'POST', url: '/v1/recognitions', headers, payload })
const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers })
const revoke = (id: string, headers: Record<string, string>) =>
  app.inject({ method: 'POST', url: `/v1/recognitions/${id}/revoke`, headers, payload: { reason: 'Recorded against the wrong programme' } })
const full = (offerId: string, overrides: Record<string, unknown> = {}) => ({
  offerId, scope: 'ex_ante', purpose: 'credit_transfer', outcome: 'full', creditsRecognised: 6, ...overrides,
})
const inView = async (offerId: string, query = '') =>
  (await get(`/v1/offers/${offerId}/recognition${query}`)).json().recognitions.map((r: any) => r.decisionId)

t.test('a decision from 2099 is not in force today; the views judge validity at the moment asked', async (t) => {
  const offer = await putOffer('VALID-1')
  const future = await decide(full(offer.id, { validFrom: '2099-01-01', decidedAt: '2099-01-01T00:00:00Z' }))
  t.equal(future.statusCode, 422, 'a decision date in the future is refused')
  t.match(future.json().errors, [{ pointer: '/decidedAt', code: 'DECIDED_AT_FUTURE' }])

  const scheduled = await decide(full(offer.id, { validFrom: '2099-01-01' }))
  t.equal(scheduled.statusCode, 201, scheduled.body)
  const id = scheduled.json().id
  t.equal(scheduled.json().status, 'scheduled')
  t.same(await inView(offer.id), [], 'not in force today in the per-offer view')
  const status = async (body: object) => (await app.inject({ method: 'POST', url: '/v1/recognitions/status', payload: { offers: [offer.id], ...body } })).json().items[0].recognitions.map((r: any) => r.decisionId)
  t.same(await status({}), [], 'nor in the batch status view')
  t.same(await inView(offer.id, '?at=2099-06-01T00:00:00Z'), [id], 'in force at a moment in 2099')
  t.same(await status({ at: '2099-01-01T00:00:00Z' }), [id], 'from its first day')
  const listed = async (query: string) => (await get(`/v1/recognitions?offer=${offer.id}&${query}`)).json().items.map((d: any) => [d.id, d.status])
  t.same(await listed('status=in_force'), [])
  t.same(await listed('status=scheduled'), [[id, 'scheduled']])
  t.same(await listed('status=in_force&at=2099-02-01T00:00:00Z'), [[id, 'in_force']], 'the listed status is judged at the same moment')
  t.equal((await get(`/v1/offers/${offer.id}/recognition?at=yesterday`)).statusCode, 400)
})

t.test('decisions of one key may follow one another; overlapping ones must supersede', async (t) => {
  const offer = await putOffer('VALID-2')
  const current = await decide(full(offer.id, { validFrom: '2020-01-01', validUntil: '2098-12-31' }))
  t.equal(current.statusCode, 201, current.body)
  const next = await decide(full(offer.id, { validFrom: '2099-01-01' }))
  t.equal(next.statusCode, 201, 'the next decision takes effect when the current one ends: no supersession needed')
  t.same(await inView(offer.id), [current.json().id])
  t.same(await inView(offer.id, '?at=2099-01-01T12:00:00Z'), [next.json().id])

  const overlapping = await decide(full(offer.id, { validFrom: '2098-06-01', validUntil: '2098-12-31' }))
  t.equal(overlapping.statusCode, 409)
  t.match(overlapping.json(), { code: 'DECISION_IN_FORCE', decisionInForce: current.json().id, decisionsInForce: [current.json().id] })
  const openEnded = await decide(full(offer.id, { validFrom: '2098-06-01' }))
  t.same(openEnded.json().decisionsInForce, [current.json().id, next.json().id], 'every overlapping decision is named')
  const supersedingOne = await decide(full(offer.id, { validFrom: '2098-06-01', supersedes: current.json().id, supersessionReason: { code: 'correction' } }))
  t.equal(supersedingOne.statusCode, 409, 'superseding one does not make the overlap with the other go away')
  t.same(supersedingOne.json().decisionsInForce, [next.json().id])
  const before = new Date().toISOString()
  const replaced = await decide(full(offer.id, { validFrom: '2020-01-01', validUntil: '2098-12-31', supersedes: current.json().id, supersessionReason: { code: 'appeal_upheld' }, conditions: ['Pass an oral check'] }))
  t.equal(replaced.statusCode, 201, replaced.body)
  t.same(await inView(offer.id), [replaced.json().id])
  t.same(await inView(offer.id, `?at=${before}`), [current.json().id], 'a registrar checking the past sees what was in force then')
  t.equal((await get(`/v1/recognitions/${current.json().id}`)).json().status, 'superseded')
  t.same((await get(`/v1/recognitions?offer=${offer.id}&status=superseded&at=${before}`)).json().items, [], 'not yet superseded at that moment')
  const byStatus = async (query: string) => (await get(`/v1/recognitions?offer=${offer.id}&${query}`)).json().items.map((d: any) => d.id)
  t.same(await byStatus('status=superseded'), [current.json().id])
  t.same(await byStatus('status=scheduled'), [next.json().id])
  t.same(await byStatus('status=expired&at=2099-02-01T00:00:00Z'), [replaced.json().id], 'ended by then')
  t.same(await byStatus('status=revoked&at=2099-02-01T00:00:00Z'), [])
  const old = await decide(full(offer.id, { purpose: 'admission', validFrom: '2020-01-01', validUntil: '2020-12-31' }))
  t.same(await byStatus('status=expired'), [old.json().id], 'ended before today')
  t.equal(old.json().status, 'expired')
})

t.test('one learner, one reference: variants of a reference are the same learner', async (t) => {
  const offer = await putOffer('VALID-3')
  const individual = (learnerRef: string, overrides: Record<string, unknown> = {}) => full(offer.id, { scope: 'individual', learnerRef, ...overrides })
  const first = await decide(individual('LRN-DUP-1'))
  t.equal(first.statusCode, 201, first.body)
  t.equal(first.json().learnerRef, 'lrn-dup-1', 'stored in normal form')
  for (const variant of ['LRN-DUP-1 ', ' LRN-DUP-1', 'lrn-dup-1', 'ＬＲＮ－ＤＵＰ－１']) {
    const again = await decide(individual(variant))
    t.equal(again.statusCode, 409, JSON.stringify(variant))
    t.equal(again.json().decisionInForce, first.json().id)
  }
  const byVariant = (await get('/v1/recognitions?learnerRef=%EF%BC%AC%EF%BC%B2%EF%BC%AE%EF%BC%8D%EF%BC%A4%EF%BC%B5%EF%BC%B0%EF%BC%8D%EF%BC%91', keys.leuven)).json()
  t.same(byVariant.items.map((d: any) => d.id), [first.json().id], 'the list compares references in normal form')

  for (const personal of ['Alice Smith 1990-01-31', '1990-01-31T00:00', 'ａｌｉｃｅ＠ｕｎｉ．ｅｕ']) {
    const refused = await decide(individual(personal))
    t.equal(refused.statusCode, 422, personal)
    t.match(refused.json().errors, [{ pointer: '/learnerRef', code: 'LEARNER_REF_PERSONAL_DATA' }])
  }
})

t.test('a key that writes decisions manages the ones its institution recorded', async (t) => {
  const offer = await putOffer('VALID-4')
  const individual = (learnerRef: string, overrides: Record<string, unknown> = {}) => full(offer.id, { scope: 'individual', learnerRef, ...overrides })
  const created = await decide(individual('stu-4711'), keys.leuvenWriteOnly)
  t.equal(created.statusCode, 201)
  const id = created.json().id
  const read = await get(`/v1/recognitions/${id}`, keys.leuvenWriteOnly)
  t.equal(read.statusCode, 200, 'it reads what it recorded')
  t.equal(read.headers['cache-control'], 'no-store')
  t.equal((await get(`/v1/recognitions/${id}/history`, keys.leuvenWriteOnly)).statusCode, 200)
  const listed = await get(`/v1/recognitions?offer=${offer.id}&scope=individual`, keys.leuvenWriteOnly)
  t.same(listed.json().items.map((d: any) => d.id), [id], 'and lists it')
  t.equal(listed.headers['cache-control'], 'no-store')
  t.same((await get('/v1/recognitions?learnerRef=STU-4711', keys.leuvenWriteOnly)).json().items.map((d: any) => d.id), [id])
  t.same((await get('/v1/recognitions?learnerRef=STU-4711', keys.helsinkiWriteOnly)).json().items, [], 'another institution\'s write key sees none of it')

  const superseding = await decide(individual('stu-4711', { supersedes: id, supersessionReason: { code: 'appeal_upheld', note: 'The appeals board accepted the project report' }, conditions: ['Submit the project report'] }), keys.leuvenWriteOnly)
  t.equal(superseding.statusCode, 201, 'it supersedes what it recorded')
  t.equal((await revoke(superseding.json().id, keys.leuvenWriteOnly)).statusCode, 200, 'and revokes it')

  // Helsinki cannot read Leuven's individual decisions: naming one reveals nothing.
  const other = (await decide(individual('stu-9000'))).json()
  t.equal((await get(`/v1/recognitions/${other.id}`, keys.helsinkiWriteOnly)).statusCode, 404)
  t.equal((await revoke(other.id, keys.helsinkiWriteOnly)).statusCode, 404)
  const naming = await decide(individual('stu-9000', { supersedes: other.id, supersessionReason: { code: 'correction' } }), keys.helsinkiWriteOnly)
  const random = await decide(individual('stu-9000', { supersedes: '00000000-0000-4000-8000-000000000000', supersessionReason: { code: 'correction' } }), keys.helsinkiWriteOnly)
  t.equal(naming.statusCode, 422)
  t.same(naming.json().errors, random.json().errors, 'an existing decision of another institution reads as no decision at all')
  t.notMatch(naming.body, other.id)
})

t.test('a decision carries what a student system books, who decided and the procedure; the registrar\'s views show it', async (t) => {
  const offer = await putOffer('VALID-5')
  const booked = {
    code: 'D0H21A',
    title: 'European business law',
    credits: 4,
    programme: 'Master of Law',
    losId: 'los-kul-D0H21A-2026',
    componentType: 'elective',
    academicYear: '2026/2027',
    term: 'semester 2',
    gradeConversion: { table: 'https://www.kuleuven.be/ects-grading-table/law-2026' },
    learningOutcomes: ['Apply the GDPR to a business model'],
  }
  const who = { decidingBody: 'Examination Board of the Master of Law', contact: { email: 'recognition@kuleuven.be', url: 'https://www.kuleuven.be/recognition' }, policyUrl: 'https://www.kuleuven.be/recognition-policy' }
  const policy = await decide(full(offer.id, { recognisedAs: [booked], ...who }))
  t.equal(policy.statusCode, 201, policy.body)
  t.match(policy.json(), { creditsRecognised: 6, creditsMapped: 4, recognisedAs: [booked], ...who }, '2 of the 6 ECTS transfer as a block')
  const [entry] = (await get(`/v1/offers/${offer.id}/recognition`)).json().recognitions
  t.match(entry, { creditsRecognised: 6, creditsMapped: 4, ...who, recognisedAs: [{ losId: 'los-kul-D0H21A-2026', academicYear: '2026/2027' }] })
  const [status] = (await app.inject({ method: 'POST', url: '/v1/recognitions/status', payload: { offers: [offer.id] } })).json().items
  t.match(status.recognitions, [{ creditsMapped: 4, decidingBody: who.decidingBody, policyUrl: who.policyUrl }])

  const application = { applicationReceivedOn: '2026-10-01', applicationCompleteOn: '2026-10-15' }
  const partial = await decide(full(offer.id, {
    scope: 'individual',
    learnerRef: 'r0912345',
    outcome: 'partial',
    creditsRecognised: 4,
    recognisedAs: [booked],
    ...application,
    substantialDifferences: [{ element: 'learning_outcomes', description: 'Belgian company law is not covered' }],
    justification: 'Company law has no counterpart',
    appeal: { body: 'Faculty appeals board', period: 'P30D' },
    laterMeasures: 'Take the company law module',
    decidedAt: '2026-11-02T09:00:00Z',
  }))
  t.equal(partial.statusCode, 201, partial.body)
  t.match(partial.json(), { ...application, appeal: { period: 'P30D' } })
  t.notOk('deadline' in partial.json().appeal)
  const afterAppeal = await decide(full(offer.id, {
    scope: 'individual',
    learnerRef: 'r0912345',
    supersedes: partial.json().id,
    supersessionReason: { code: 'appeal_upheld' },
    appealOutcome: { result: 'upheld', decidedOn: '2026-11-20' },
  }))
  t.equal(afterAppeal.statusCode, 201, afterAppeal.body)
  t.equal(afterAppeal.json().learnerRef, 'r0912345', afterAppeal.body)
  const history = (await get(`/v1/recognitions/${partial.json().id}/history`, keys.leuven)).json().items
  t.same(history.map((d: any) => [d.outcome, d.supersessionReason?.code, d.appealOutcome?.result]), [['partial', undefined, undefined], ['full', 'appeal_upheld', 'upheld']])
  t.equal((await decide(full(offer.id, { applicationReceivedOn: '2026-10-01', purpose: 'exemption' }))).json().errors[0].code, 'APPLICATION_DATES_INDIVIDUAL_ONLY')
})

t.test('an institution sets its time limit in advance; the registrar lists and counts the decisions that exceeded it', async (t) => {
  const settings = (schac: string) => get(`/v1/institutions/${schac}/recognition-settings`)
  const put = (schac: string, decisionTimeLimit: string, headers: Record<string, string> = keys.leuvenWriteOnly) =>
    app.inject({ method: 'PUT', url: `/v1/institutions/${schac}/recognition-settings`, headers, payload: { decisionTimeLimit } })
  const overdue = (query = '', headers: Record<string, string> = keys.leuvenWriteOnly) => get(`/v1/recognitions/overdue${query}`, headers)

  t.same((await settings('kuleuven.be')).json(), { institution: 'kuleuven.be', decisionTimeLimit: null, updatedAt: null })
  t.same((await overdue()).json(), { timeLimit: null, count: 0, items: [], nextCursor: null }, 'nothing is overdue before a limit is set')
  t.equal((await settings('nowhere.example')).statusCode, 404)

  t.equal((await put('kuleuven.be', 'P2Y')).json().errors[0].code, 'TIME_LIMIT_RANGE')
  t.equal((await put('kuleuven.be', 'soon')).statusCode, 400, 'not a duration at all')
  t.equal((await put('helsinki.fi', 'P4M')).statusCode, 403, 'an institution sets its own only')
  const set = await put('kuleuven.be', 'P2M')
  t.equal(set.statusCode, 200, set.body)
  t.match((await settings('kuleuven.be')).json(), { decisionTimeLimit: 'P2M', updatedAt: String }, 'published')

  const offer = await putOffer('VALID-6')
  const individual = (learnerRef: string, applicationCompleteOn: string, decidedAt: string) =>
    decide(full(offer.id, { scope: 'individual', learnerRef, applicationReceivedOn: applicationCompleteOn, applicationCompleteOn, decidedAt }))
  const late = await individual('late-1', '2026-01-31', '2026-04-01T10:00:00Z')
  const onTime = await individual('on-time-1', '2026-01-31', '2026-03-31T10:00:00Z')
  const later = await individual('late-2', '2026-05-02', '2026-09-01T10:00:00Z')
  await decide(full(offer.id, { scope: 'individual', learnerRef: 'no-dates-1', decidedAt: '2026-09-01T10:00:00Z' }))
  const longAgo = await individual('late-3', '2026-01-01', '2026-08-01T10:00:00Z')
  t.same([late, onTime, later, longAgo].map((r) => r.statusCode), [201, 201, 201, 201])

  const first = await overdue('?limit=1')
  t.equal(first.headers['cache-control'], 'no-store')
  t.match(first.json(), {
    timeLimit: 'P2M',
    count: 3,
    items: [{ decisionId: late.json().id, learnerRef: 'late-1', applicationCompleteOn: '2026-01-31', dueBy: '2026-03-31', daysTaken: 60, status: 'in_force' }],
  }, 'January 31 plus two months is March 31 (the last day of the month)')
  const second = (await overdue(`?limit=1&cursor=${encodeURIComponent(first.json().nextCursor)}`)).json()
  t.match(second, { count: 3, items: [{ learnerRef: 'late-3', dueBy: '2026-03-01' }] }, 'the next page, in decision order')
  const all = (await overdue('?limit=5')).json()
  t.same(all.items.map((i: any) => i.learnerRef), ['late-1', 'late-3', 'late-2'])
  t.equal(all.nextCursor, null)
  t.notOk(all.items.some((i: any) => i.decisionId === onTime.json().id), 'a decision on the last day is on time')
  t.same((await overdue('', keys.helsinkiWriteOnly)).json(), { timeLimit: null, count: 0, items: [], nextCursor: null }, 'another institution sees its own, not Leuven\'s')
  t.equal((await overdue('', keys.bologna)).statusCode, 200, 'recognition:read is enough')
  t.equal((await overdue('', {})).statusCode, 401)
})

t.test('a withdrawn offer is flagged in the registrar\'s views; its decisions stand', async (t) => {
  const offer = await putOffer('VALID-7')
  const policy = await decide(full(offer.id))
  t.match((await get(`/v1/offers/${offer.id}/recognition`)).json(), { offerWithdrawn: false })
  const withdrawn = await app.inject({ method: 'DELETE', url: '/v1/institutions/unibo.it/offers/VALID-7', headers: keys.bologna })
  t.equal(withdrawn.statusCode, 200)
  t.match((await get(`/v1/offers/${offer.id}/recognition`)).json(), { offerWithdrawn: true, recognitions: [{ decisionId: policy.json().id }] })
  const [status] = (await app.inject({ method: 'POST', url: '/v1/recognitions/status', payload: { offers: [offer.id, '00000000-0000-4000-8000-000000000000'] } })).json().items
  t.equal(status.offerWithdrawn, true)
})
