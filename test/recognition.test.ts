import { readFileSync } from 'node:fs'
import { count } from 'drizzle-orm'
import t from 'tap'
import { recognitionDecisions } from '../src/db/schema.js'
import { bearer, startTestApp } from './helpers/app.js'
import { completeOffer } from './helpers/offers.js'

const ctx = await startTestApp(t)
const { app } = ctx
for (const [schac, country] of [['unibo.it', 'IT'], ['kuleuven.be', 'BE'], ['helsinki.fi', 'FI']] as const) await ctx.institution(schac, country)
const keys = {
  bolognaCatalogue: bearer(await ctx.key('unibo.it', ['catalogue:write'])),
  bolognaRead: bearer(await ctx.key('unibo.it', ['recognition:read'])),
  leuven: bearer(await ctx.key('kuleuven.be', ['recognition:write', 'recognition:read'])),
  leuvenWriteOnly: bearer(await ctx.key('kuleuven.be', ['recognition:write'])),
  helsinki: bearer(await ctx.key('helsinki.fi', ['recognition:write', 'recognition:read'])),
}

const putOffer = (externalId: string, overrides: Record<string, unknown> = {}) =>
  app.inject({ method: 'PUT', url: `/v1/institutions/unibo.it/offers/${externalId}`, headers: keys.bolognaCatalogue, payload: completeOffer(overrides) })
const offer = (await putOffer('REC-1', { ects: 6, workloadHours: 160 })).json()
const draft = (await app.inject({ method: 'PUT', url: '/v1/institutions/unibo.it/offers/REC-DRAFT', headers: keys.bolognaCatalogue, payload: { title: { en: 'Draft' }, status: 'draft' } })).json()

const decide = (payload: object, headers: Record<string, string> = keys.leuven) =>
  app.inject({ method: 'POST', url: '/v1/recognitions', headers, payload })
const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers })

const exAnteFull = (overrides: Record<string, unknown> = {}) => ({
  offerId: offer.id,
  scope: 'ex_ante',
  purpose: 'credit_transfer',
  outcome: 'full',
  creditsRecognised: 6,
  recognisedAs: [{ code: 'H04X1A', title: 'Elective: data science', credits: 6, programme: 'MSc Statistics' }],
  ...overrides,
})
const refusal = {
  outcome: 'none',
  creditsRecognised: 0,
  recognisedAs: [],
  justification: 'The learning outcomes are at bachelor level.',
  substantialDifferences: [{ element: 'level', description: 'EQF 6 outcomes against the required EQF 7' }],
  appeal: { body: 'Faculty appeals board', deadline: '2099-01-31', url: 'https://www.kuleuven.be/appeals' },
  laterMeasures: 'Take the bridging module Advanced Statistics and apply again.',
}

let first: Record<string, any>

t.test('an ex-ante decision is recorded, public, and shown in the registrar\'s view', async (t) => {
  const response = await decide(exAnteFull())
  t.equal(response.statusCode, 201, response.body)
  first = response.json()
  t.match(first, { recognisingInstitution: 'kuleuven.be', offeringInstitution: 'unibo.it', offerVersion: 1, status: 'in_force', automatic: true, supersedes: null })
  t.notOk(response.headers['cache-control'])
  t.equal((await get(`/v1/recognitions/${first.id}`)).statusCode, 200, 'ex-ante decisions are public')

  const view = (await get(`/v1/offers/${offer.id}/recognition`)).json()
  t.match(view, { offerId: offer.id, found: true, currentVersion: 1 })
  t.same(view.recognitions.map((r: any) => [r.recognisingInstitution, r.outcome, r.creditsRecognised, r.offerVersion, r.offerChangedSince, r.coversCurrentVersion]), [
    ['kuleuven.be', 'full', 6, 1, [], true],
  ])
})

t.test('one decision in force per institution, offer, scope, learner and purpose', async (t) => {
  const again = await decide(exAnteFull())
  t.equal(again.statusCode, 409)
  t.equal(again.json().code, 'DECISION_IN_FORCE')
  t.equal(again.json().decisionInForce, first.id)

  const wrong = await decide(exAnteFull({ supersedes: '00000000-0000-4000-8000-000000000000', supersessionReason: { code: 'correction' } }))
  t.equal(wrong.statusCode, 422)
  t.match(wrong.json().errors, [{ pointer: '/supersedes', code: 'SUPERSEDES_MISMATCH' }])

  const otherPurpose = await decide(exAnteFull({ purpose: 'exemption' }))
  t.equal(otherPurpose.statusCode, 201, 'a new purpose is a new decision')
})

t.test('when the offer changes, the registrar sees it, and a new decision supersedes the old', async (t) => {
  await putOffer('REC-1', { ects: 6, workloadHours: 160, title: { en: 'Revised' } })
  const stale = (await get(`/v1/offers/${offer.id}/recognition`)).json()
  t.equal(stale.currentVersion, 2)
  t.ok(stale.recognitions.length > 0)
  for (const r of stale.recognitions) {
    t.same(r.offerChangedSince, [{ element: 'title', material: false }], 'the title changed, an editorial change')
    t.match(r, { offerVersion: 1, coversCurrentVersion: true, covers: { fromVersion: 1, until: 'material_change' } })
  }

  const superseding = await decide(exAnteFull({ supersedes: first.id, supersessionReason: { code: 'new_offer_version', note: 'Version 2 revised the title' }, conditions: ['Pass an oral check on TEI encoding'] }))
  t.equal(superseding.statusCode, 201, superseding.body)
  const second = superseding.json()
  t.match(second, { offerVersion: 2, supersedes: first.id, automatic: false })
  const old = (await get(`/v1/recognitions/${first.id}`)).json()
  t.match(old, { status: 'superseded', supersededBy: second.id })

  const history = (await get(`/v1/recognitions/${first.id}/history`)).json()
  t.same(history.items.map((d: any) => d.id), [first.id, second.id])
  t.same(history.items.map((d: any) => d.supersessionReason), [undefined, { code: 'new_offer_version', note: 'Version 2 revised the title' }], 'the history says why')
  const fromNew = (await get(`/v1/recognitions/${second.id}/history`)).json()
  t.same(fromNew.items.map((d: any) => d.id), [first.id, second.id])

  const view = (await get(`/v1/offers/${offer.id}/recognition`)).json()
  const credit = view.recognitions.find((r: any) => r.purpose === 'credit_transfer')
  t.match(credit, { decisionId: second.id, offerVersion: 2, offerChangedSince: [], automatic: false })
})

t.test('rules are enforced with the exact failing fields', async (t) => {
  const response = await decide({ ...exAnteFull({ purpose: 'admission' }), outcome: 'partial', creditsRecognised: 8 })
  t.equal(response.statusCode, 422)
  t.equal(response.json().code, 'INVALID_DECISION')
  t.same(response.json().errors.map((e: any) => `${e.pointer}:${e.code}`), [
    '/creditsRecognised:CREDITS_EXCEED_OFFER',
    '/justification:JUSTIFICATION_REQUIRED',
    '/substantialDifferences:SUBSTANTIAL_DIFFERENCE_REQUIRED',
    '/appeal:APPEAL_REQUIRED',
    '/laterMeasures:LATER_MEASURES_REQUIRED',
  ])
  const own = await decide(exAnteFull(), bearer(await ctx.key('unibo.it', ['recognition:write'])))
  t.same(own.json().errors.map((e: any) => e.code), ['OWN_OFFER'])
  const hidden = await decide(exAnteFull({ offerId: draft.id }))
  t.same(hidden.json().errors.map((e: any) => e.code), ['OFFER_NOT_FOUND'], 'another institution\'s draft does not exist for the decider')
  const old = await decide(exAnteFull({ purpose: 'admission', offerVersion: 1 }))
  t.equal(old.statusCode, 201, 'an earlier published version can be decided on')
  t.equal(old.json().offerVersion, 1)
  const notPreApproved = { ...exAnteFull({ purpose: 'other', purposeText: 'Honours track' }), ...refusal }
  const withoutAssessment = await decide(notPreApproved)
  t.same(withoutAssessment.json().errors.map((e: any) => e.code), ['INDIVIDUAL_ASSESSMENT_REQUIRED'], 'an ex-ante none says where to apply for an individual assessment')
  const refused = await decide({ ...notPreApproved, individualAssessment: { apply: 'Apply to the Faculty of Science admissions office', url: 'https://www.kuleuven.be/recognition' } })
  t.equal(refused.statusCode, 201, refused.body)
  t.match(refused.json(), { preApproval: 'not_pre_approved', individualAssessment: { apply: 'Apply to the Faculty of Science admissions office' } })
  const policy = (await get(`/v1/offers/${offer.id}/recognition`)).json().recognitions.find((r: any) => r.decisionId === refused.json().id)
  t.match(policy, { outcome: 'none', preApproval: 'not_pre_approved', individualAssessment: { url: 'https://www.kuleuven.be/recognition' } }, 'the registrar\'s view shows it')
  const noReason = await decide(exAnteFull({ purpose: 'admission', offerVersion: 1, supersedes: old.json().id }))
  t.same(noReason.json().errors.map((e: any) => e.code), ['SUPERSESSION_REASON_REQUIRED'])
})

t.test('two concurrent posts for the same key: exactly one succeeds', async (t) => {
  const body = exAnteFull({ scope: 'individual', learnerRef: 'race-learner-1', purpose: 'exemption' })
  const responses = await Promise.all(Array.from({ length: 6 }, () => decide(body)))
  const statuses = responses.map((r) => r.statusCode).sort()
  t.same(statuses, [201, 409, 409, 409, 409, 409])
  const [row] = await ctx.database.handle.db.select({ n: count() }).from(recognitionDecisions)
  t.ok(row!.n > 0)
})

t.test('individual decisions are visible only to the two institutions, with recognition:read', async (t) => {
  const response = await decide({ ...exAnteFull({ scope: 'individual', learnerRef: 'a81f3c9e', credentialRef: 'urn:credential:unibo:991' }) })
  t.equal(response.statusCode, 201)
  t.equal(response.headers['cache-control'], 'no-store')
  const decision = response.json()
  const url = `/v1/recognitions/${decision.id}`
  const expectations: Array<[string, Record<string, string>, number]> = [
    ['anonymous', {}, 404],
    ['a third institution', keys.helsinki, 404],
    ['the decider with recognition:write only: a key that writes decisions manages its own', keys.leuvenWriteOnly, 200],
    ['the offering institution without recognition:read', keys.bolognaCatalogue, 404],
    ['the decider', keys.leuven, 200],
    ['the offering institution', keys.bolognaRead, 200],
  ]
  for (const [who, headers, status] of expectations) {
    const read = await get(url, headers)
    t.equal(read.statusCode, status, who)
    if (status === 200) t.equal(read.headers['cache-control'], 'no-store')
    t.equal((await get(`${url}/history`, headers)).statusCode, status, `${who}: history`)
  }
  const publicList = (await get(`/v1/recognitions?offer=${offer.id}&limit=100`)).json()
  t.notOk(publicList.items.some((d: any) => d.scope === 'individual'), 'the public list has no individual decisions')
  const partyList = (await get(`/v1/recognitions?offer=${offer.id}&scope=individual&limit=100`, keys.bolognaRead)).json()
  t.ok(partyList.items.some((d: any) => d.id === decision.id))
  t.equal((await get('/v1/recognitions?learnerRef=a81f3c9e')).statusCode, 403, 'filtering by learner needs recognition:read')
  const byLearner = (await get('/v1/recognitions?learnerRef=a81f3c9e', keys.leuven)).json()
  t.same(byLearner.items.map((d: any) => d.id), [decision.id])
  const thirdParty = (await get('/v1/recognitions?learnerRef=a81f3c9e', keys.helsinki)).json()
  t.same(thirdParty.items, [])

  const feed = async (headers: Record<string, string>) =>
    (await get('/v1/changes?type=recognition&limit=1000', headers)).json().items.map((i: any) => i.id)
  t.notOk((await feed({})).includes(decision.id), 'not in the public feed')
  t.notOk((await feed(keys.helsinki)).includes(decision.id))
  t.ok((await feed(keys.leuvenWriteOnly)).includes(decision.id), 'a key that writes decisions follows its own in the feed')
  t.notOk((await feed(bearer(await ctx.key('unibo.it', ['recognition:write'])))).includes(decision.id), 'but not those of others on its offers')
  t.notOk((await feed(keys.bolognaCatalogue)).includes(decision.id), 'nor does a key without either scope')
  t.ok((await feed(keys.leuven)).includes(decision.id))
  t.ok((await feed(keys.bolognaRead)).includes(decision.id))
})

t.test('revocation: only by the deciding institution, only once', async (t) => {
  const exAnte = (await decide(exAnteFull({ purpose: 'credit_transfer', supersedes: (await get(`/v1/offers/${offer.id}/recognition`)).json().recognitions.find((r: any) => r.purpose === 'credit_transfer').decisionId, supersessionReason: { code: 'policy_change' } }))).json()
  const individual = (await decide(exAnteFull({ scope: 'individual', learnerRef: 'learner-rev-1' }))).json()
  const revoke = (id: string, headers: Record<string, string>) =>
    app.inject({ method: 'POST', url: `/v1/recognitions/${id}/revoke`, headers, payload: { reason: 'Recorded in error' } })

  t.equal((await revoke(exAnte.id, keys.helsinki)).statusCode, 403, 'a stranger may see an ex-ante decision but not revoke it')
  t.equal((await revoke(individual.id, keys.helsinki)).statusCode, 404, 'a stranger cannot even see an individual one')
  t.equal((await revoke(exAnte.id, keys.bolognaCatalogue)).statusCode, 403, 'a key without recognition:write')
  const done = await revoke(exAnte.id, keys.leuven)
  t.equal(done.statusCode, 200)
  t.match(done.json(), { status: 'revoked', revocationReason: 'Recorded in error' })
  t.equal((await revoke(exAnte.id, keys.leuven)).statusCode, 409, 'only a decision in force can be revoked')
  const view = (await get(`/v1/offers/${offer.id}/recognition`)).json()
  t.notOk(view.recognitions.some((r: any) => r.decisionId === exAnte.id), 'a revoked decision is no longer in force')
  const feed = (await get('/v1/changes?type=recognition&limit=1000')).json().items
  t.ok(feed.some((i: any) => i.id === exAnte.id && i.action === 'revoked'))
  t.ok(feed.some((i: any) => i.action === 'superseded'))
  t.equal((await get(`/v1/recognitions?status=revoked&offer=${offer.id}`)).json().items.length, 1)
})

t.test('the batch status view for registrars', async (t) => {
  const second = (await putOffer('REC-2', { ects: 5, workloadHours: 140 })).json()
  await decide(exAnteFull({ offerId: second.id, creditsRecognised: 5, recognisedAs: [] }), keys.helsinki)
  await decide(exAnteFull({ offerId: second.id, creditsRecognised: 5, recognisedAs: [] }))
  const unknown = '00000000-0000-4000-8000-000000000000'
  const response = await app.inject({ method: 'POST', url: '/v1/recognitions/status', payload: { offers: [second.id, unknown, draft.id, offer.id] } })
  t.equal(response.statusCode, 200)
  const items = response.json().items
  t.same(items.map((i: any) => [i.offerId, i.found]), [[second.id, true], [unknown, false], [draft.id, false], [offer.id, true]])
  t.same(items[0].recognitions.map((r: any) => r.recognisingInstitution).sort(), ['helsinki.fi', 'kuleuven.be'])
  const capitals = await app.inject({ method: 'POST', url: '/v1/recognitions/status', payload: { offers: [second.id.toUpperCase()] } })
  t.match(capitals.json().items[0], { offerId: second.id.toUpperCase(), found: true }, 'an id in capitals is the same offer')
  t.equal(capitals.json().items[0].recognitions.length, 2)
  const filtered = await app.inject({ method: 'POST', url: '/v1/recognitions/status', payload: { offers: [second.id], institution: 'helsinki.fi' } })
  t.same(filtered.json().items[0].recognitions.map((r: any) => r.recognisingInstitution), ['helsinki.fi'])
  const tooMany = await app.inject({ method: 'POST', url: '/v1/recognitions/status', payload: { offers: Array.from({ length: 501 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`) } })
  t.equal(tooMany.statusCode, 400)
})

t.test('decisions are immutable: no PUT, PATCH or DELETE', async (t) => {
  for (const method of ['PUT', 'PATCH', 'DELETE'] as const) {
    const response = await app.inject({ method, url: `/v1/recognitions/${first.id}`, headers: keys.leuven, payload: {} })
    t.equal(response.statusCode, 405, method)
  }
})

t.test('an Idempotency-Key makes a retried decision apply once', async (t) => {
  const body = exAnteFull({ scope: 'individual', learnerRef: 'learner-idem-7' })
  const headers = { ...keys.leuven, 'idempotency-key': 'decision-learner-idem-7' }
  const firstTry = await decide(body, headers)
  t.equal(firstTry.statusCode, 201)
  const retry = await decide(body, headers)
  t.equal(retry.statusCode, 201)
  t.equal(retry.headers['idempotent-replayed'], 'true')
  t.equal(retry.json().id, firstTry.json().id)
})

t.test('every request body of the recognition API has examples in the OpenAPI, and they are valid requests', async (t) => {
  const document = JSON.parse(readFileSync(new URL('../openapi/openapi.json', import.meta.url), 'utf8'))
  const component = (path: string) => {
    const reference: string = document.paths[path].post.requestBody.content['application/json'].schema.$ref
    return document.components.schemas[reference.split('/').at(-1)!]
  }
  for (const path of ['/v1/recognitions', '/v1/recognitions/{id}/revoke', '/v1/recognitions/status']) {
    t.ok(component(path).examples?.length > 0, `${path} has examples`)
  }
  for (const example of component('/v1/recognitions').examples) {
    const response = await decide(example)
    // The example offers do not exist here: every other rule holds.
    t.same(response.json().errors?.map((e: any) => e.code), ['OFFER_NOT_FOUND'], `${example.scope} ${example.outcome}`)
  }
  for (const example of component('/v1/recognitions/status').examples) {
    t.equal((await app.inject({ method: 'POST', url: '/v1/recognitions/status', payload: example })).statusCode, 200)
  }
  const [revocation] = component('/v1/recognitions/{id}/revoke').examples
  const revoked = await app.inject({ method: 'POST', url: '/v1/recognitions/00000000-0000-4000-8000-000000000000/revoke', headers: keys.leuven, payload: revocation })
  t.equal(revoked.statusCode, 404, 'a valid body: only the decision is missing')
})

t.test('which versions a decision covers, and what changed since', async (t) => {
  const versioned = (await putOffer('REC-VERSIONS', { ects: 6, workloadHours: 160 })).json()
  const policy = await decide(exAnteFull({ offerId: versioned.id, covers: { fromVersion: 1, until: { version: 2 } } }))
  t.equal(policy.statusCode, 201, policy.body)
  t.same(policy.json().covers, { fromVersion: 1, until: { version: 2 } })
  const byDefault = await decide(exAnteFull({ offerId: versioned.id, purpose: 'exemption' }))
  t.same(byDefault.json().covers, { fromVersion: 1, until: 'material_change' }, 'by default until a material change')

  await putOffer('REC-VERSIONS', { ects: 6, workloadHours: 160, title: { en: 'Renamed' } })
  const status = async () => (await app.inject({ method: 'POST', url: '/v1/recognitions/status', payload: { offers: [versioned.id, offer.id] } })).json().items
  let [view] = await status()
  t.same(view.recognitions.map((r: any) => [r.purpose, r.offerChangedSince, r.coversCurrentVersion]), [
    ['credit_transfer', [{ element: 'title', material: false }], true],
    ['exemption', [{ element: 'title', material: false }], true],
  ], 'an editorial change keeps both covered')

  await putOffer('REC-VERSIONS', { ects: 6, workloadHours: 170, title: { en: 'Renamed' } })
  ;[view] = await status()
  t.equal(view.currentVersion, 3)
  t.same(view.recognitions.map((r: any) => [r.purpose, r.offerChangedSince, r.coversCurrentVersion]), [
    ['credit_transfer', [{ element: 'title', material: false }, { element: 'workloadHours', material: true }], false],
    ['exemption', [{ element: 'title', material: false }, { element: 'workloadHours', material: true }], false],
  ], 'version 3 is beyond the first coverage and changed materially for the second')
  t.same(view.offerWithdrawn, false)

  const refused = await decide(exAnteFull({ offerId: versioned.id, purpose: 'admission', covers: { fromVersion: 4, until: 'material_change' } }))
  t.equal(refused.statusCode, 422)
  t.same(refused.json().errors.map((e: any) => `${e.pointer}:${e.code}`), ['/covers/fromVersion:COVERS_FROM_AFTER_DECIDED'])
})

t.test('an individual decision binds to the version in force the day the credential was issued', async (t) => {
  const today = new Date().toISOString().slice(0, 10)
  const learner = (overrides: Record<string, unknown>) =>
    decide(exAnteFull({ scope: 'individual', learnerRef: 'ver-0001', purpose: 'other', purposeText: 'Entry to the data science track', ...overrides }))
  const bound = await learner({ credentialIssuedOn: today })
  t.equal(bound.statusCode, 201, bound.body)
  t.match(bound.json(), { offerVersion: 2, credentialIssuedOn: today, covers: null }, 'REC-1 is at version 2, published today')

  const early = await learner({ credentialIssuedOn: '2020-01-31', learnerRef: 'ver-0002' })
  t.equal(early.statusCode, 422)
  t.same(early.json().errors.map((e: any) => `${e.pointer}:${e.code}`), ['/credentialIssuedOn:CREDENTIAL_BEFORE_OFFER'])
  const mismatch = await learner({ credentialIssuedOn: today, offerVersion: 1, learnerRef: 'ver-0003' })
  t.same(mismatch.json().errors.map((e: any) => `${e.pointer}:${e.code}`), ['/offerVersion:OFFER_VERSION_MISMATCH'])
  const policy = await decide(exAnteFull({ purpose: 'other', purposeText: 'Entry to the data science track', credentialIssuedOn: today }))
  t.same(policy.json().errors.map((e: any) => `${e.pointer}:${e.code}`), ['/credentialIssuedOn:CREDENTIAL_ISSUED_ON_FORBIDDEN'], 'a policy binds to no credential')
})

t.test('the change feed carries each decision\'s validity, for consumers to apply', async (t) => {
  const dated = (await putOffer('REC-FEED', { ects: 6, workloadHours: 160 })).json()
  const first = (await decide(exAnteFull({ offerId: dated.id, validFrom: '2099-01-01', validUntil: '2099-12-31' }))).json()
  const next = await decide(exAnteFull({ offerId: dated.id, validFrom: '2099-06-01', supersedes: first.id, supersessionReason: { code: 'correction' } }))
  t.equal(next.statusCode, 201, next.body)
  const entries = (await get('/v1/changes?type=recognition&limit=1000')).json().items.filter((i: any) => i.id === first.id || i.id === next.json().id)
  t.same(entries.map((i: any) => [i.id, i.action, i.validFrom, i.validUntil]), [
    [first.id, 'created', '2099-01-01', '2099-12-31'],
    [first.id, 'superseded', '2099-01-01', '2099-12-31'],
    [next.json().id, 'created', '2099-06-01', null],
  ])
  const offers = (await get('/v1/changes?type=offer&limit=1000')).json().items
  t.ok(offers.length > 0 && offers.every((i: any) => !('validFrom' in i)), 'only recognition entries carry dates')
})
