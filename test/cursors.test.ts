import t from 'tap'
import { admin, startTestApp } from './helpers/app.js'

const ctx = await startTestApp(t)
const { app } = ctx
for (const schac of ['a.example', 'b.example', 'c.example']) await ctx.institution(schac)
for (const slug of ['alliance-a', 'alliance-b']) {
  await app.inject({ method: 'PUT', url: `/v1/alliances/${slug}`, headers: admin, payload: { name: slug, members: [] } })
}

const LISTS = ['/v1/institutions', '/v1/alliances', '/v1/offers', '/v1/recognitions', '/v1/clients', '/v1/audit']

t.test('a cursor belongs to the list that made it: any other list refuses it with 400 INVALID_CURSOR', async (t) => {
  const first = await app.inject({ method: 'GET', url: '/v1/institutions?limit=1', headers: admin })
  const cursor = first.json().nextCursor as string
  t.type(cursor, 'string')
  const next = await app.inject({ method: 'GET', url: `/v1/institutions?limit=1&cursor=${cursor}`, headers: admin })
  t.equal(next.statusCode, 200, 'its own list takes it')
  t.equal(next.json().items[0].schac, 'b.example')

  for (const list of LISTS.filter((url) => url !== '/v1/institutions')) {
    const response = await app.inject({ method: 'GET', url: `${list}?limit=1&cursor=${cursor}`, headers: admin })
    t.equal(response.statusCode, 400, `${list}: ${response.body.slice(0, 200)}`)
    t.equal(response.json().code, 'INVALID_CURSOR', list)
  }
})

t.test('a cursor of one alliance list is refused by the institution list, filters alike', async (t) => {
  const alliances = await app.inject({ method: 'GET', url: '/v1/alliances?limit=1' })
  const cursor = alliances.json().nextCursor as string
  const institutions = await app.inject({ method: 'GET', url: `/v1/institutions?limit=1&cursor=${cursor}` })
  t.equal(institutions.statusCode, 400)
  t.equal(institutions.json().code, 'INVALID_CURSOR')
})
