import t from 'tap'
import { admin, bearer, startTestApp } from './helpers/app.js'
import { completeOffer } from './helpers/offers.js'

const ctx = await startTestApp(t)
const { app } = ctx
await ctx.institution('unibo.it', 'IT')
await ctx.institution('uva.nl', 'NL')
await app.inject({ method: 'PUT', url: '/v1/alliances/una-europa', headers: admin, payload: { name: 'Una Europa', members: ['unibo.it'] } })
await app.inject({ method: 'PUT', url: '/v1/alliances/civis', headers: admin, payload: { name: 'CIVIS', members: ['unibo.it', 'uva.nl'] } })
const keys = { 'unibo.it': bearer(await ctx.key('unibo.it', ['catalogue:write'])), 'uva.nl': bearer(await ctx.key('uva.nl', ['catalogue:write'])) }

interface Made {
  id: string
  externalId: string
  institution: string
  ects: number
  eqfLevel: number
  languages: string[]
  iscedFields: string[]
  participation: string[]
  qaType: string
  stackable: boolean
  startDate: string
  alliances: string[]
  title: string
}

const made: Made[] = []
const N = 57
for (let i = 0; i < N; i++) {
  const institution = i % 3 === 0 ? 'uva.nl' : 'unibo.it'
  const ects = [1, 2.5, 3, 5, 6][i % 5]!
  const eqfLevel = [5, 6, 7][i % 3]!
  const languages = i % 4 === 0 ? ['en', 'nl'] : i % 4 === 1 ? ['it'] : ['en']
  const iscedFields = [['0613'], ['0542'], ['0311', '0611'], ['0231']][i % 4]!
  const participation = i % 2 === 0 ? ['online'] : ['onsite', 'blended']
  const qaType = i % 5 === 0 ? 'internal' : 'internal_and_external'
  const stackable = i % 6 === 0
  const startDate = `2027-${String((i % 12) + 1).padStart(2, '0')}-01`
  // An offer is in its institution's alliances.
  const alliances = institution === 'uva.nl' ? ['civis'] : ['civis', 'una-europa']
  const title = i === 11 ? 'Course 11: data stewardship' : `Course ${String(i).padStart(2, '0')}`
  const body = completeOffer({
    title: { en: title, ...(i === 7 ? { fr: 'Éthique des données' } : {}), ...(i === 8 ? { it: 'Etica dei dati' } : {}) },
    description: { en: i === 9 ? 'Includes a module on data ethics and privacy.' : 'A short course.' },
    learningOutcomes: [{ text: { en: i === 10 ? 'Apply ethical reasoning to data' : 'Understand the topic' } }],
    ects,
    workloadHours: ects * 27,
    eqfLevel,
    qfEheaCycle: undefined,
    languages,
    iscedFields,
    participation,
    qualityAssurance: qaType === 'internal' ? { type: 'internal' } : completeOffer().qualityAssurance,
    stackability: stackable ? { mode: 'stackable', towards: [{ title: { en: 'MSc Data Science' } }] } : { mode: 'stand_alone' },
    startDate,
    endDate: '2027-12-31',
  })
  const response = await app.inject({ method: 'PUT', url: `/v1/institutions/${institution}/offers/C-${i}`, headers: keys[institution as 'uva.nl'], payload: body })
  if (response.statusCode !== 201) throw new Error(response.body)
  made.push({ id: response.json().id, externalId: `C-${i}`, institution, ects, eqfLevel, languages, iscedFields, participation, qaType, stackable, startDate, alliances, title })
}
// Drafts never appear in searches, whatever they match.
await app.inject({ method: 'PUT', url: '/v1/institutions/unibo.it/offers/DRAFT', headers: keys['unibo.it'], payload: { title: { en: 'Course draft ethics' }, status: 'draft' } })

async function walk(query: string, limit = 7): Promise<any[]> {
  const items: any[] = []
  let cursor: string | null = null
  let pages = 0
  do {
    const url: string = `/v1/offers?limit=${limit}${query ? `&${query}` : ''}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`
    const response = await app.inject({ method: 'GET', url })
    if (response.statusCode !== 200) throw new Error(`${url}: ${response.body}`)
    items.push(...response.json().items)
    cursor = response.json().nextCursor
    pages++
  } while (cursor && pages < 100)
  return items
}

const ids = (list: Array<{ id: string }>) => list.map((o) => o.id).sort()

t.test('walking every page returns each published offer exactly once', async (t) => {
  const all = await walk('')
  t.equal(all.length, N)
  t.equal(new Set(all.map((o) => o.id)).size, N)
  t.same(ids(all), ids(made))
})

t.test('each filter selects exactly the matching offers', async (t) => {
  const cases: Array<[string, (m: Made) => boolean]> = [
    ['institution=uva.nl', (m) => m.institution === 'uva.nl'],
    ['alliance=una-europa', (m) => m.alliances.includes('una-europa')],
    ['country=NL', (m) => m.institution === 'uva.nl'],
    ['eqfLevel=6', (m) => m.eqfLevel === 6],
    ['ectsMin=3', (m) => m.ects >= 3],
    ['ectsMax=2.5', (m) => m.ects <= 2.5],
    ['ectsMin=2.5&ectsMax=5', (m) => m.ects >= 2.5 && m.ects <= 5],
    ['iscedField=06', (m) => m.iscedFields.some((c) => c.startsWith('06'))],
    ['iscedField=061', (m) => m.iscedFields.some((c) => c.startsWith('061'))],
    ['iscedField=0611', (m) => m.iscedFields.includes('0611')],
    ['language=nl', (m) => m.languages.includes('nl')],
    ['participation=blended', (m) => m.participation.includes('blended')],
    ['qaType=internal', (m) => m.qaType === 'internal'],
    ['stackable=true', (m) => m.stackable],
    ['stackable=false', (m) => !m.stackable],
    ['startsAfter=2027-10-01', (m) => m.startDate >= '2027-10-01'],
    ['alliance=civis&eqfLevel=7&language=en', (m) => m.alliances.includes('civis') && m.eqfLevel === 7 && m.languages.includes('en')],
  ]
  for (const [query, matches] of cases) {
    const expected = made.filter(matches)
    t.ok(expected.length > 0 && expected.length < N, `${query} is a real filter`)
    t.same(ids(await walk(query, 5)), ids(expected), query)
  }
  const future = new Date(Date.now() + 60_000).toISOString()
  t.same(await walk(`updatedSince=${encodeURIComponent(future)}`), [])
  t.equal((await walk(`updatedSince=${encodeURIComponent('2000-01-01T00:00:00Z')}`)).length, N)
})

t.test('sorts order the catalogue and page through it stably', async (t) => {
  const byEcts = await walk('sort=ects', 6)
  t.equal(byEcts.length, N)
  t.same(byEcts.map((o) => o.ects), [...made.map((m) => m.ects)].sort((a, b) => a - b))
  const byEctsDesc = await walk('sort=-ects', 6)
  t.same(byEctsDesc.map((o) => o.ects), [...made.map((m) => m.ects)].sort((a, b) => b - a))
  const byTitle = await walk('sort=title', 8)
  t.same(byTitle.map((o) => o.title.en), [...made.map((m) => m.title)].sort())
  const byTitleDesc = await walk('sort=-title', 8)
  t.same(byTitleDesc.map((o) => o.title.en), [...made.map((m) => m.title)].sort().reverse())
  const byUpdated = await walk('sort=-updatedAt', 9)
  t.equal(byUpdated.length, N)
  t.same(byUpdated.map((o) => o.updatedAt), [...byUpdated.map((o) => o.updatedAt)].sort().reverse())
  t.same(ids(byUpdated), ids(made))
})

t.test('full text: titles, descriptions and outcomes in every language, accent- and case-insensitive, ranked', async (t) => {
  const french = await walk('q=ETHIQUE')
  t.same(french.map((o) => o.externalId), ['C-7'], 'French title found without its accent')
  const italian = await walk('q=etica')
  t.same(italian.map((o) => o.externalId), ['C-8'])
  const english = await walk('q=ethics')
  t.same(english.map((o) => o.externalId), ['C-9'])
  const ranked = await walk('q=data', 100)
  t.ok(ranked.length >= 3)
  t.same(ranked.map((o) => o.externalId).sort(), ['C-10', 'C-11', 'C-9'])
  t.equal(ranked[0]!.externalId, 'C-11', 'a title match ranks above body matches')
  const combined = await walk('q=course&institution=uva.nl', 4)
  t.same(ids(combined), ids(made.filter((m) => m.institution === 'uva.nl')), 'search and filters combine, paging by relevance')
})

t.test('bad searches are 400s naming the parameter', async (t) => {
  const relevance = await app.inject({ method: 'GET', url: '/v1/offers?sort=relevance' })
  t.equal(relevance.statusCode, 400)
  t.same(relevance.json().errors, [{ in: 'query', pointer: '/sort', detail: 'relevance needs a search text (q)' }])
  const range = await app.inject({ method: 'GET', url: '/v1/offers?ectsMin=5&ectsMax=1' })
  t.equal(range.statusCode, 400)
  const cursor = (await app.inject({ method: 'GET', url: '/v1/offers?limit=2&eqfLevel=6' })).json().nextCursor
  const reused = await app.inject({ method: 'GET', url: `/v1/offers?limit=2&eqfLevel=7&cursor=${encodeURIComponent(cursor)}` })
  t.equal(reused.statusCode, 400)
  t.equal(reused.json().code, 'INVALID_CURSOR')
  const unknown = await app.inject({ method: 'GET', url: '/v1/offers?colour=red&eqfLevel=12' })
  t.same(unknown.json().errors.map((e: { pointer: string }) => e.pointer).sort(), ['/colour', '/eqfLevel'])
})
