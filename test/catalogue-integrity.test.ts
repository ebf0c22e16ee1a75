import { count, eq, sql } from 'drizzle-orm'
import t from 'tap'
import { auditLog, offerVersions, offers } from '../src/db/schema.js'
import { contentHash, withDefaults, type StoredContent } from '../src/modules/catalogue/content.js'
import type { OfferContent } from '../src/modules/catalogue/schemas.js'
import { admin, bearer, startTestApp } from './helpers/app.js'
import { completeOffer } from './helpers/offers.js'
import { rawRequest } from './helpers/raw-http.js'

const ctx = await startTestApp(t)
const { app } = ctx
const db = ctx.database.handle.db
await ctx.institution('unibo.it', 'IT')
await ctx.institution('kuleuven.be', 'BE')
await app.inject({ method: 'PUT', url: '/v1/alliances/una-europa', headers: admin, payload: { name: 'Una Europa', members: ['unibo.it', 'kuleuven.be'] } })
await app.inject({ method: 'PUT', url: '/v1/alliances/civis', headers: admin, payload: { name: 'CIVIS', members: [] } })
const bologna = bearer(await ctx.key('unibo.it', ['catalogue:write']))
const leuven = bearer(await ctx.key('kuleuven.be', ['catalogue:write', 'recognition:write', 'recognition:read']))

const put = (externalId: string, payload: object, headers: Record<string, string> = bologna, schac = 'unibo.it') =>
  app.inject({ method: 'PUT', url: `/v1/institutions/${schac}/offers/${externalId}`, headers, payload })
const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers })
const sync = (offers: object[], headers: Record<string, string> = bologna) =>
  app.inject({ method: 'POST', url: '/v1/institutions/unibo.it/offers/sync', headers, payload: { mode: 'upsert', offers } })
const pointers = (body: { errors: Array<{ pointer: string; code?: string }> }) => body.errors.map((e) => `${e.pointer}${e.code ? ` ${e.code}` : ''}`)
const auditCount = async () => (await db.select({ n: count() }).from(auditLog))[0]!.n

async function rawPut(path: string, body: object): Promise<{ status: number; json: any }> {
  const response = await rawRequest(app, { method: 'PUT', path, headers: bologna, body })
  return { status: response.status, json: JSON.parse(response.body) }
}

t.test('external ids made only of dots are refused, by PUT and by the sync', async (t) => {
  await app.listen({ port: 0, host: '127.0.0.1' })
  for (const id of ['.', '..', '...']) {
    const response = await rawPut(`/v1/institutions/unibo.it/offers/${id}`, completeOffer())
    t.equal(response.status, 422, `PUT ${id}`)
    t.same(pointers(response.json), ['/externalId EXTERNAL_ID_DOTS'], `PUT ${id}`)
    t.equal(response.json.errors[0].in, 'path')
  }
  const synced = await sync(['.', '..', '...'].map((externalId) => ({ externalId, ...completeOffer() })))
  t.equal(synced.statusCode, 422)
  t.equal(synced.json().code, 'SYNC_REJECTED')
  t.same(synced.json().invalidOffers.map((o: { index: number; errors: Array<{ pointer: string; code: string }> }) => `${o.index} ${o.errors[0]!.pointer} ${o.errors[0]!.code}`), [
    '0 /offers/0/externalId EXTERNAL_ID_DOTS',
    '1 /offers/1/externalId EXTERNAL_ID_DOTS',
    '2 /offers/2/externalId EXTERNAL_ID_DOTS',
  ])
  const [stored] = await db.select({ n: count() }).from(offers).where(sql`${offers.externalId} ~ '^\\.+$'`)
  t.equal(stored!.n, 0, 'none was created')
  t.equal((await put('a.b..c', completeOffer())).statusCode, 201, 'dots among other characters are fine')
})

/** Makes the stored state of an offer what an earlier release of the service wrote. */
async function storeAsBefore(id: string, content: StoredContent): Promise<void> {
  const hash = contentHash(content)
  await db.update(offers).set({ content, contentHash: hash, ects: content.ects ?? null }).where(eq(offers.id, id))
  await db.update(offerVersions).set({ content, contentHash: hash }).where(eq(offerVersions.offerId, id))
}

t.test('a rule that tightens never breaks an unchanged write; the offer reports what breaks it', async (t) => {
  // Written when 0.05 ECTS in 1.25 hours was allowed.
  const input = completeOffer({ ects: 0.05, workloadHours: 1.25 })
  const created = (await put('TIGHTENED', completeOffer())).json()
  await storeAsBefore(created.id, withDefaults(input as OfferContent, { schac: 'unibo.it', country: 'IT' }))
  const before = (await get(`/v1/offers/${created.id}`)).json()
  t.match(before.compliance.violations, [{ pointer: '/ects', code: 'CREDITS_MINIMUM' }], 'the offer says what to fix')
  const audits = await auditCount()

  const again = await put('TIGHTENED', input)
  t.equal(again.statusCode, 200, again.body)
  t.equal(again.json().version, 1, 'no new version')
  t.equal(again.json().updatedAt, before.updatedAt, 'nothing written')
  t.match(again.json().compliance.violations, [{ pointer: '/ects', code: 'CREDITS_MINIMUM' }])
  t.equal(await auditCount(), audits, 'no audit record: nothing happened')

  const resynced = await sync([{ externalId: 'TIGHTENED', ...input }])
  t.equal(resynced.statusCode, 200, resynced.body)
  t.same(resynced.json().unchanged.map((i: { externalId: string }) => i.externalId), ['TIGHTENED'])

  const changed = await put('TIGHTENED', { ...input, title: { en: 'Changed, still too small' } })
  t.equal(changed.statusCode, 422, 'a write that changes the content must fix it')
  t.same(pointers(changed.json()), ['/ects CREDITS_MINIMUM'])
  const changedInSync = await sync([{ externalId: 'TIGHTENED', ...input, title: { en: 'Changed' } }])
  t.equal(changedInSync.statusCode, 422)

  const fixed = await put('TIGHTENED', { ...input, ects: 0.1, workloadHours: 2.5 })
  t.equal(fixed.statusCode, 200)
  t.equal(fixed.json().version, 2)
  t.same(fixed.json().compliance.violations, [])
})

t.test('codes the EU lists do not have, stored before the lists were exact, are reported and re-send unchanged', async (t) => {
  // 0420 was accepted by the rule that built ISCED-F codes; `sh` and `EL` by the patterns alone.
  const input = completeOffer({ iscedFields: ['0420', '0421'], languages: ['en', 'sh'] })
  const created = (await put('OLD-CODES', completeOffer())).json()
  await storeAsBefore(created.id, withDefaults(input as OfferContent, { schac: 'unibo.it', country: 'IT' }))
  const before = (await get(`/v1/offers/${created.id}`)).json()
  t.same(before.iscedFields, ['0420', '0421'], 'the stored codes are shown as they are, not changed')
  t.match(before.compliance.violations, [
    { pointer: '/iscedFields/0', code: 'ISCED_F_UNKNOWN' },
    { pointer: '/languages/1', code: 'LANGUAGE_UNKNOWN' },
  ])

  const again = await put('OLD-CODES', input)
  t.equal(again.statusCode, 200, again.body)
  t.equal(again.json().updatedAt, before.updatedAt, 'an unchanged re-send writes nothing')
  const resynced = await sync([{ externalId: 'OLD-CODES', ...input }])
  t.same(resynced.json().unchanged.map((i: { externalId: string }) => i.externalId), ['OLD-CODES'])

  const changed = await put('OLD-CODES', { ...input, title: { en: 'Changed' } })
  t.equal(changed.statusCode, 422)
  t.same(pointers(changed.json()), ['/iscedFields/0 ISCED_F_UNKNOWN', '/languages/1 LANGUAGE_UNKNOWN'])
  const greece = await put('OLD-CODES', { ...input, iscedFields: ['0421'], languages: ['en'], issuerCountries: ['EL'] })
  t.equal(greece.statusCode, 422)
  t.match(pointers(greece.json()), ['/issuerCountries/0 COUNTRY_UNKNOWN'], 'EL is the EU\'s code for Greece, not ISO\'s')
})

t.test('an offer stored with a dot-only id re-syncs unchanged and says why it should move', async (t) => {
  const created = (await put('DOTS-BEFORE', completeOffer())).json()
  await db.update(offers).set({ externalId: '...' }).where(eq(offers.id, created.id))
  const resynced = await sync([{ externalId: '...', ...completeOffer() }])
  t.equal(resynced.statusCode, 200, resynced.body)
  t.same(resynced.json().unchanged.map((i: { externalId: string }) => i.externalId), ['...'])
  t.match((await get(`/v1/offers/${created.id}`)).json().compliance.violations, [{ in: 'path', pointer: '/externalId', code: 'EXTERNAL_ID_DOTS' }])
})

t.test('an offer\'s alliances are its institution\'s of now, not versioned content', async (t) => {
  const created = await put('ALLIED', completeOffer())
  t.equal(created.statusCode, 201)
  const offer = created.json()
  t.same(offer.alliances, ['una-europa'])
  const decided = await app.inject({
    method: 'POST',
    url: '/v1/recognitions',
    headers: leuven,
    payload: { offerId: offer.id, scope: 'ex_ante', purpose: 'credit_transfer', outcome: 'full', creditsRecognised: 3 },
  })
  t.equal(decided.statusCode, 201)
  const inUna = async () => (await get('/v1/offers?alliance=una-europa&limit=100')).json().items.map((o: { id: string }) => o.id)
  t.ok((await inUna()).includes(offer.id))
  const [{ max: feedBefore }] = (await db.execute(sql`select coalesce(max(sequence), 0)::int as max from changes`) as unknown as { rows: Array<{ max: number }> }).rows as [{ max: number }]

  // unibo.it leaves Una Europa and joins CIVIS.
  await app.inject({ method: 'PUT', url: '/v1/alliances/una-europa', headers: admin, payload: { name: 'Una Europa', members: ['kuleuven.be'] } })
  await app.inject({ method: 'PUT', url: '/v1/alliances/civis', headers: admin, payload: { name: 'CIVIS', members: ['unibo.it'] } })

  const now = await get(`/v1/offers/${offer.id}`, { 'if-none-match': created.headers.etag as string })
  t.equal(now.statusCode, 200, 'what it shows changed, so its ETag did')
  t.same(now.json().alliances, ['civis'])
  t.equal(now.json().version, 1, 'no new version')
  t.notOk((await inUna()).includes(offer.id), '?alliance= answers with the memberships of now')
  t.ok((await get('/v1/offers?alliance=civis')).json().items.some((o: { id: string }) => o.id === offer.id))
  const recognition = (await get(`/v1/offers/${offer.id}/recognition`)).json()
  t.same(recognition.recognitions[0].offerChangedSince, [], 'decisions are not marked changed since')

  const feed = (await get(`/v1/changes?after=${feedBefore}&type=offer&limit=1000`)).json().items
  t.ok(feed.length > 2, 'every offer of the institution')
  const mine = feed.filter((c: { id: string }) => c.id === offer.id)
  t.same(mine.map((c: { id: string; action: string; version: number }) => [c.id, c.action, c.version]), [
    [offer.id, 'alliances_changed', 1],
    [offer.id, 'alliances_changed', 1],
  ], 'the change feed says when they change')

  const resent = await put('ALLIED', { ...completeOffer(), alliances: ['una-europa'] })
  t.equal(resent.statusCode, 200, 'the same content, sent with the alliances of before, is still the same content')
  t.equal(resent.json().version, 1)
  t.same(resent.json().alliances, ['civis'])
})

t.test('content stored with the alliances of its day re-sends unchanged', async (t) => {
  const created = (await put('LEGACY-ALLIANCES', completeOffer())).json()
  const content = { ...withDefaults(completeOffer() as OfferContent, { schac: 'unibo.it', country: 'IT' }), alliances: ['una-europa'] }
  await storeAsBefore(created.id, content)
  const again = await put('LEGACY-ALLIANCES', completeOffer())
  t.equal(again.statusCode, 200)
  t.equal(again.json().version, 1, 'no new version for alliances that left the content')
  t.equal(again.json().updatedAt, created.updatedAt)
  t.notOk('alliances' in (await get(`/v1/offers/${created.id}/versions/1`)).json(), 'a version shows content only')
  const resynced = await sync([{ externalId: 'LEGACY-ALLIANCES', ...completeOffer() }])
  t.same(resynced.json().unchanged.map((i: { externalId: string }) => i.externalId), ['LEGACY-ALLIANCES'])
})

t.test('stackability resolves only to offers the writer can see: hidden answers as absent', async (t) => {
  const hidden = (await put('KUL-DRAFT', { title: { en: 'Hidden draft' }, status: 'draft' }, leuven, 'kuleuven.be')).json()
  const visible = (await put('KUL-LIVE', completeOffer(), leuven, 'kuleuven.be')).json()
  const ownDraft = (await put('OWN-DRAFT', { title: { en: 'Own draft' }, status: 'draft' })).json()
  const absent = '00000000-0000-4000-8000-000000000000'
  const towards = (offerId: string) => completeOffer({ stackability: { mode: 'stackable', towards: [{ offerId }] } })

  const toHidden = await put('STACK-1', towards(hidden.id))
  const toAbsent = await put('STACK-1', towards(absent))
  t.equal(toHidden.statusCode, 422)
  t.equal(toAbsent.statusCode, 422)
  const detail = (response: typeof toHidden, id: string) => response.json().errors[0].detail.replace(id, '<id>')
  t.equal(detail(toHidden, hidden.id), detail(toAbsent, absent), 'the same answer for hidden and absent')
  t.same(pointers(toHidden.json()), pointers(toAbsent.json()))

  t.equal((await put('STACK-1', towards(visible.id))).statusCode, 201, 'a published offer of another institution')
  t.equal((await put('STACK-2', towards(ownDraft.id))).statusCode, 201, 'its own draft')
  const inSync = await sync([{ externalId: 'STACK-3', ...towards(hidden.id) }])
  t.equal(inSync.statusCode, 422, 'the sync checks the same way')
})
