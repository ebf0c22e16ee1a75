// Search pages are built once per form (their order, first or resumed, the fields they have)
// with placeholders, and sent with each search's values (repository.ts: pageForm, keysetSearch,
// rumRankedPage). A statement reused for another search must be the very statement that
// search would have built: the same text and the same parameters, value for value. Checked
// here without a database, on what drizzle hands to the driver.
import { drizzle } from 'drizzle-orm/node-postgres'
import t from 'tap'
import type { Database } from '../src/db/client.js'
import * as schema from '../src/db/schema.js'
import { catalogueRepository, type OfferSearchFilter } from '../src/modules/catalogue/repository.js'

interface Sent {
  name: string | undefined
  text: string
  params: unknown[]
}

/** A database whose driver records what it is sent and answers no rows. */
function recordingDatabase() {
  const sent: Sent[] = []
  const client = {
    query: async (config: { name?: string; text: string }, params: unknown[]) => {
      sent.push({ name: config.name, text: config.text, params: params.map(asSent) })
      return { rows: [] }
    },
  }
  return { db: drizzle({ client: client as never, schema }) as unknown as Database, sent }
}
/** A value as node-postgres sends it (dates in UTC as toISOString gives them, for this comparison). */
const asSent = (value: unknown) => (value instanceof Date ? value.toISOString() : value === undefined || value === null ? null : typeof value === 'object' ? JSON.stringify(value) : String(value))

const FILTERS = ['institution', 'alliance', 'country', 'eqfLevel', 'ectsMin', 'ectsMax', 'iscedField', 'language', 'participation', 'qaType', 'stackable', 'startsAfter', 'updatedSince'] as const
const ONE = { institution: 'unibo.it', alliance: 'una-europa', country: 'IT', eqfLevel: 6, ectsMin: 1.5, ectsMax: 30, iscedField: '061', language: 'en', participation: 'online', qaType: 'internal', stackable: false, startsAfter: '2027-01-01', updatedSince: '2026-05-01T10:00:00.1234567+02:00' }
const OTHER = { institution: 'kuleuven.be', alliance: 'yufe', country: 'BE', eqfLevel: 7, ectsMin: 0, ectsMax: 1e-7, iscedField: '0611', language: 'fr', participation: 'blended', qaType: 'external', stackable: true, startsAfter: '2028-02-03', updatedSince: '2026-05-01T10:00:00Z' }
const SUBSETS: Array<readonly string[]> = [[], ...FILTERS.map((name) => [name]), FILTERS, FILTERS.filter((_, i) => i % 2 === 0), FILTERS.filter((_, i) => i % 3 === 1)]

function searchesOf(values: typeof ONE, rum: boolean): OfferSearchFilter[] {
  const searches: OfferSearchFilter[] = []
  const sorts = rum ? (['relevance'] as const) : (['relevance', 'createdAt', 'updatedAt', '-updatedAt', 'ects', '-ects', 'title', '-title'] as const)
  for (const sort of sorts) {
    for (const resumed of [false, true]) {
      for (const q of sort === 'relevance' ? [values === ONE ? 'energy' : 'solar power'] : [undefined, 'energy']) {
        for (const subset of SUBSETS) {
          const filter: OfferSearchFilter = { sort, q, limit: values === ONE ? 20 : 5, sessionHasSettings: true, ...(rum ? { ranking: 'rum' as const } : {}) }
          for (const name of subset) Object.assign(filter, { [name]: values[name as keyof typeof values] })
          if (resumed) filter.after = rum ? [values === ONE ? '0.5' : '0.125', values === ONE ? 3 : 1] : [values === ONE ? '2026-01-01 00:00:00+00' : '5', '00000000-0000-4000-8000-000000000001']
          searches.push(filter)
        }
      }
    }
  }
  return searches
}

/** A database whose every form is taken (64 other forms), so that searches on it are built for each search, with bound values. */
async function fullDatabase(rum: boolean) {
  const full = recordingDatabase()
  const names = ['institution', 'alliance', 'country', 'language', 'qaType', 'iscedField'] as const
  for (let form = 0; form < 64; form++) {
    // (ectsMax with startsAfter and nothing else of the searches' subsets: forms none of the searches has)
    const filter: OfferSearchFilter = { sort: rum ? 'relevance' : 'title', q: 'x', ectsMax: 30, startsAfter: '2027-01-01', limit: 1, sessionHasSettings: true, ...(rum ? { ranking: 'rum' as const } : {}) }
    names.forEach((name, bit) => (form & (1 << bit) ? Object.assign(filter, { [name]: ONE[name] }) : undefined))
    await catalogueRepository.search(full.db, filter)
  }
  return full
}

for (const rum of [false, true]) {
  t.test(`${rum ? 'RUM' : 'keyset'} pages: a statement reused by a search is the one that search would have built`, async (t) => {
    const built = await fullDatabase(rum)
    let reused = 0
    const textsByForm = new Map<string, string>()
    const others = searchesOf(OTHER, rum)
    // The searches in groups of fewer forms than an executor keeps, each group on a database of
    // its own: every form with one set of values, then again with the other, so that every
    // search after the first of its form runs a statement built before, among other forms'.
    const groups = new Map<string, Array<[OfferSearchFilter, OfferSearchFilter]>>()
    for (const [i, first] of searchesOf(ONE, rum).entries()) {
      const group = `${first.sort} ${first.after === undefined}`
      groups.set(group, [...(groups.get(group) ?? []), [first, others[i]!]])
    }
    for (const pairs of groups.values()) {
      const cached = recordingDatabase()
      for (const round of [0, 1]) {
        for (const pair of pairs) {
          const search = pair[round]!
          await catalogueRepository.search(cached.db, search)
          await catalogueRepository.search(built.db, search)
          const [fromCache, fresh] = [cached.sent.at(-1)!, built.sent.at(-1)!]
          const label = JSON.stringify(search)
          t.equal(fresh.name, undefined, `built for the search: ${label}`)
          if (rum) t.match(fromCache.name, /^rum_page_/, 'RUM pages are named statements')
          else t.equal(fromCache.name, '', 'keyset pages are unnamed, planned for their values')
          if (fromCache.text !== fresh.text || JSON.stringify(fromCache.params) !== JSON.stringify(fresh.params)) {
            t.fail(`${label}: the cached statement differs`, { cached: fromCache.params, built: fresh.params })
            return
          }
          if (round === 1) reused++
          const form = JSON.stringify([search.sort, search.after === undefined, search.q === undefined, ...FILTERS.map((name) => search[name] === undefined)])
          if (round === 0) t.notOk(textsByForm.has(form), `one statement per form: ${form}`)
          textsByForm.set(form, fromCache.text)
        }
      }
    }
    t.ok(reused >= 34, `${reused} forms, each reused by a search with other values`)
    t.equal(new Set(textsByForm.values()).size, textsByForm.size, 'no two forms share a text')
  })
}
