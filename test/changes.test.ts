import t from 'tap'
import { admin, bearer, startTestApp } from './helpers/app.js'
import { completeOffer } from './helpers/offers.js'

const ctx = await startTestApp(t, { config: { dbPoolMax: 12 } })
const { app } = ctx
await ctx.institution('unibo.it', 'IT')
await ctx.institution('kuleuven.be', 'BE')
const bologna = bearer(await ctx.key('unibo.it', ['catalogue:write']))
const leuven = bearer(await ctx.key('kuleuven.be', ['catalogue:write']))

interface Item {
  sequence: number
  type: string
  id: string
  action: string
  version: number | null
  at: string
}

async function feed(query: string, headers: Record<string, string> = {}): Promise<{ items: Item[]; nextAfter: number }> {
  const response = await app.inject({ method: 'GET', url: `/v1/changes?${query}`, headers })
  if (response.statusCode !== 200) throw new Error(response.body)
  return response.json()
}

t.test('offers and institutions appear with their actions; drafts only for their institution', async (t) => {
  const start = (await feed('after=0&limit=1000')).nextAfter
  const draft = (await app.inject({ method: 'PUT', url: '/v1/institutions/unibo.it/offers/F-DRAFT', headers: bologna, payload: { title: { en: 'Draft' }, status: 'draft' } })).json()
  const live = (await app.inject({ method: 'PUT', url: '/v1/institutions/unibo.it/offers/F-LIVE', headers: bologna, payload: completeOffer() })).json()
  await app.inject({ method: 'PUT', url: '/v1/institutions/unibo.it/offers/F-LIVE', headers: bologna, payload: completeOffer({ ects: 4, workloadHours: 100 }) })
  await app.inject({ method: 'DELETE', url: '/v1/institutions/unibo.it/offers/F-LIVE', headers: bologna })
  await app.inject({ method: 'PUT', url: '/v1/institutions/uva.nl', headers: admin, payload: { name: { en: 'UvA' }, country: 'NL' } })

  const anonymous = await feed(`after=${start}`)
  t.same(
    anonymous.items.map((i) => [i.type, i.id, i.action, i.version]),
    [
      ['offer', live.id, 'created', 1],
      ['offer', live.id, 'published', 1],
      ['offer', live.id, 'updated', 2],
      ['offer', live.id, 'withdrawn', 2],
      ['institution', 'uva.nl', 'created', 1],
    ],
  )
  t.notOk(anonymous.items.some((i) => i.id === draft.id), 'drafts stay out of the public feed')
  t.equal(anonymous.nextAfter, anonymous.items.at(-1)!.sequence)

  const owner = await feed(`after=${start}`, bologna)
  t.same(owner.items.filter((i) => i.id === draft.id).map((i) => i.action), ['created'], 'the institution sees its own drafts')
  const other = await feed(`after=${start}`, leuven)
  t.notOk(other.items.some((i) => i.id === draft.id), 'another institution does not')

  t.same((await feed(`after=${start}&type=institution`)).items.map((i) => i.id), ['uva.nl'])
  t.equal((await feed(`after=${start}&institution=unibo.it`)).items.length, 4)
  const nothingNew = await feed(`after=${anonymous.nextAfter}`)
  t.same(nothingNew, { items: [], nextAfter: anonymous.nextAfter }, 'nextAfter stays put when nothing is new')
  const sequences = anonymous.items.map((i) => i.sequence)
  t.same(sequences, [...sequences].sort((a, b) => a - b))
  t.equal(new Set(sequences).size, sequences.length)
})

t.test('a reader following the feed during concurrent writes misses nothing', async (t) => {
  const start = (await feed('after=0&limit=1000', bologna)).nextAfter
  const writers = 8
  const writesEach = 12
  let writing = true
  const seen: Item[] = []
  let after = start

  const reader = (async () => {
    // eslint-disable-next-line no-unmodified-loop-condition -- the writers clear it once they are done
    while (writing) {
      const page = await feed(`after=${after}&limit=7`, bologna)
      seen.push(...page.items)
      after = page.nextAfter
      await new Promise((resolve) => setImmediate(resolve))
    }
  })()

  const written = await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      const ids: string[] = []
      for (let i = 0; i < writesEach; i++) {
        const externalId = `W${w}-${i % 4}`
        const response = await app.inject({
          method: 'PUT',
          url: `/v1/institutions/unibo.it/offers/${externalId}`,
          headers: bologna,
          payload: completeOffer({ title: { en: `Writer ${w} write ${i}` } }),
        })
        if (response.statusCode >= 300) throw new Error(response.body)
        ids.push(response.json().id)
      }
      return ids
    }),
  )
  writing = false
  await reader
  // Drain whatever the reader had not reached yet when the writers stopped.
  for (;;) {
    const page = await feed(`after=${after}&limit=100`, bologna)
    if (page.items.length === 0) break
    seen.push(...page.items)
    after = page.nextAfter
  }

  const sequences = seen.map((i) => i.sequence)
  t.same(sequences, [...sequences].sort((a, b) => a - b), 'strictly increasing')
  t.equal(new Set(sequences).size, sequences.length, 'no entry twice')
  const all = await feed(`after=${start}&limit=1000`, bologna)
  t.same(seen, all.items, 'the reader saw exactly what was committed, in order')
  const expected = writers * 4 * 2 + writers * (writesEach - 4)
  t.equal(all.items.length, expected, 'created+published per new offer, updated per rewrite')
  t.equal(new Set(written.flat()).size, writers * 4)
})

t.test('bad feed queries are 400s', async (t) => {
  for (const query of ['after=-1', 'limit=5000', 'type=alliance', 'colour=red']) {
    const response = await app.inject({ method: 'GET', url: `/v1/changes?${query}` })
    t.equal(response.statusCode, 400, query)
  }
})

t.test('a large sync appends its entries in order, across chunks, drafts kept private', async (t) => {
  const start = (await feed('after=0&limit=1000')).nextAfter
  const offers: Array<{ externalId: string; status?: string }> = Array.from({ length: 600 }, (_, i) => ({
    externalId: `BULK-${String(i).padStart(4, '0')}`,
    ...(i % 100 === 7 ? { title: { en: `Draft ${i}` }, status: 'draft' } : completeOffer({ title: { en: `Bulk ${i}` } })),
  }))
  const synced = await app.inject({ method: 'POST', url: '/v1/institutions/kuleuven.be/offers/sync', headers: leuven, payload: { mode: 'upsert', offers } })
  t.equal(synced.statusCode, 200, synced.body)
  const idOf = new Map<string, string>(synced.json().created.map((c: { externalId: string; id: string }) => [c.externalId, c.id]))

  const read = async (headers: Record<string, string>) => {
    const items: Item[] = []
    for (let after = start; ;) {
      const page = await feed(`after=${after}&limit=1000&institution=kuleuven.be`, headers)
      if (page.items.length === 0) return items
      items.push(...page.items)
      after = page.nextAfter
    }
  }
  const expected = offers.flatMap(({ externalId, status }) =>
    status === 'draft' ? [[idOf.get(externalId), 'created']] : [[idOf.get(externalId), 'created'], [idOf.get(externalId), 'published']],
  )
  const owner = await read(leuven)
  t.equal(owner.length, 1194, 'more entries than one chunk of the insert')
  t.same(owner.map((i) => [i.id, i.action]), expected, 'in the order of the offers, created before published')
  const anonymous = await read({})
  t.equal(anonymous.length, 1188, 'the six drafts are not public')
})
