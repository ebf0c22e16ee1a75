import t from 'tap'
import { admin, bearer, startTestApp } from './helpers/app.js'
import { completeOffer } from './helpers/offers.js'

// The embedded default must keep working: the same migrations and routes on PGlite.
const ctx = await startTestApp(t, { pglite: true })
const { app } = ctx

t.test('the app runs on PGlite: readiness, registry writes and reads, auth', async (t) => {
  const ready = await app.inject({ method: 'GET', url: '/health/ready' })
  t.same(ready.json(), { status: 'ok', database: 'pglite' })

  const put = await app.inject({ method: 'PUT', url: '/v1/institutions/helsinki.fi', headers: admin, payload: { name: { fi: 'Helsingin yliopisto' }, country: 'FI' } })
  t.equal(put.statusCode, 201)
  const alliance = await app.inject({ method: 'PUT', url: '/v1/alliances/una-europa', headers: admin, payload: { name: 'Una Europa', members: ['helsinki.fi'] } })
  t.equal(alliance.statusCode, 201)
  const list = await app.inject({ method: 'GET', url: '/v1/institutions?alliance=una-europa&country=FI' })
  t.same(list.json().items.map((i: { schac: string }) => i.schac), ['helsinki.fi'])

  const key = await ctx.key('helsinki.fi', ['catalogue:write'])
  const forbidden = await app.inject({ method: 'DELETE', url: '/v1/alliances/una-europa', headers: bearer(key) })
  t.equal(forbidden.statusCode, 403)
})

t.test('offers: publish, version, full-text search and filters on PGlite', async (t) => {
  const key = bearer(await ctx.key('helsinki.fi', ['catalogue:write']))
  const url = '/v1/institutions/helsinki.fi/offers/MC-1'
  const created = await app.inject({ method: 'PUT', url, headers: key, payload: completeOffer() })
  t.equal(created.statusCode, 201)
  const updated = await app.inject({ method: 'PUT', url, headers: key, payload: completeOffer({ ects: 4, workloadHours: 110 }) })
  t.equal(updated.json().version, 2)
  const found = await app.inject({ method: 'GET', url: '/v1/offers?q=litteratie&alliance=una-europa&iscedField=05&ectsMin=4&sort=relevance' })
  t.same(found.json().items.map((o: { externalId: string }) => o.externalId), ['MC-1'])
  const byTitle = await app.inject({ method: 'GET', url: '/v1/offers?sort=-updatedAt&limit=1' })
  t.equal(byTitle.json().items.length, 1)
  const versions = await app.inject({ method: 'GET', url: `/v1/offers/${created.json().id}/versions` })
  t.same(versions.json().items.map((v: { version: number }) => v.version), [1, 2])
})

t.test('a sync writes its offers set-based on PGlite too', async (t) => {
  const key = bearer(await ctx.key('helsinki.fi', ['catalogue:write']))
  const offers = ['S-1', 'S-2', 'S-3'].map((externalId, i) => ({ externalId, ...completeOffer({ title: { en: `Synced on PGlite ${i}` }, ects: 2 + i, workloadHours: 27 * (2 + i) }) }))
  const synced = await app.inject({ method: 'POST', url: '/v1/institutions/helsinki.fi/offers/sync', headers: key, payload: { mode: 'upsert', offers } })
  t.equal(synced.statusCode, 200, synced.body)
  t.equal(synced.json().created.length, 3)
  const found = await app.inject({ method: 'GET', url: '/v1/offers?q=pglite&ectsMin=3&institution=helsinki.fi' })
  t.same(found.json().items.map((o: { externalId: string }) => o.externalId).sort(), ['S-2', 'S-3'])
  const one = await app.inject({ method: 'GET', url: `/v1/offers/${synced.json().created[0].id}/versions` })
  t.same(one.json().items.map((v: { version: number; publishedAt: string | null }) => [v.version, typeof v.publishedAt]), [[1, 'string']])
})

t.test('the registrar\'s status view takes its id list as one array parameter on PGlite too', async (t) => {
  const listed = await app.inject({ method: 'GET', url: '/v1/offers?institution=helsinki.fi&limit=2' })
  const ids = listed.json().items.map((o: { id: string }) => o.id)
  t.equal(ids.length, 2)
  const unknown = '00000000-0000-4000-8000-000000000000'
  const status = await app.inject({ method: 'POST', url: '/v1/recognitions/status', payload: { offers: [...ids, unknown] } })
  t.equal(status.statusCode, 200, status.body)
  t.same(status.json().items.map((i: { offerId: string; found: boolean }) => [i.offerId, i.found]), [[ids[0], true], [ids[1], true], [unknown, false]])
})
