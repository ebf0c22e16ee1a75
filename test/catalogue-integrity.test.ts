import http from 'node:http'
import { count, eq, sql } from 'drizzle-orm'
import t from 'tap'
import { auditLog, offerVersions, offers } from '../src/db/schema.js'
import { contentHash, withDefaults } from '../src/modules/catalogue/content.js'
import type { OfferContent } from '../src/modules/catalogue/schemas.js'
import { admin, bearer, startTestApp } from './helpers/app.js'
import { completeOffer } from './helpers/offers.js'

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

/** Sends a PUT over a real connection, with the path exactly as given (clients would drop dot segments). */
async function rawPut(path: string, body: object): Promise<{ status: number; json: any }> {
  const address = app.server.address()
  if (address === null || typeof address === 'string') throw new Error('not listening')
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body)
    const request = http.request(
      { host: '127.0.0.1', port: address.port, path, method: 'PUT', agent: false, headers: { ...bologna, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
      (response) => {
        let text = ''
        response.on('data', (chunk) => (text += chunk))
        response.on('end', () => resolve({ status: response.statusCode ?? 0, json: JSON.parse(text) }))
      },
    )
    request.on('error', reject)
    request.end(payload)
  })
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
async function storeAsBefore(id: string, content: OfferContent): Promise<void> {
  const hash = contentHash(content)
  await db.update(offers).set({ content, contentHash: hash, ects: content.ects ?? null }).where(eq(offers.id, id))
  await db.update(offerVersions).set({ content, contentHash: hash }).where(eq(offerVersions.offerId, id))
}

t.test('a rule that tightens never breaks an unchanged write; the offer reports what breaks it', async (t) => {
  // Written when 0.05 ECTS in 1.25 hours was allowed.
  const input = completeOffer({ ects: 0.05, workloadHours: 1.25 })
  const created = (await put('TIGHTENED', completeOffer())).json()
  await storeAsBefore(created.id, withDefaults(input as OfferContent, { schac: 'unibo.it', country: 'IT', alliances: ['una-europa'] }))
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

t.test('an offer stored with a dot-only id re-syncs unchanged and says why it should move', async (t) => {
  const created = (await put('DOTS-BEFORE', completeOffer())).json()
  await db.update(offers).set({ externalId: '...' }).where(eq(offers.id, created.id))
  const resynced = await sync([{ externalId: '...', ...completeOffer() }])
  t.equal(resynced.statusCode, 200, resynced.body)
  t.same(resynced.json().unchanged.map((i: { externalId: string }) => i.externalId), ['...'])
  t.match((await get(`/v1/offers/${created.id}`)).json().compliance.violations, [{ in: 'path', pointer: '/externalId', code: 'EXTERNAL_ID_DOTS' }])
})
