import fc from 'fast-check'
import { DEMO_OFFERS } from '../../src/demo/offers.js'
import { DEMO_INSTITUTIONS } from '../../src/demo/registry.js'
import { withDefaults } from '../../src/modules/catalogue/content.js'
import type { OfferContent } from '../../src/modules/catalogue/schemas.js'
import type { ExportSource } from '../../src/modules/exports/index.js'
import { ASSESSMENT_CODES, COUNTRIES, ISCED_F, LANGUAGES, NQF_LEVELS, PARTICIPATION_CODES } from '../../src/vocabularies/index.js'

/** What the export tests map: export sources, a hand-written exportable offer, the demo offers, and a generator of complete offers. */
export const BASE = 'https://api.example.eu'
export const institution = (schac: string) => {
  const found = DEMO_INSTITUTIONS.find((candidate) => candidate.schac === schac)!
  return { schac, name: found.name, country: found.country, website: found.website ?? null }
}
export const source = (content: OfferContent, schac = 'unibo.it', coAwarding: string[] = []): ExportSource => ({
  uri: `${BASE}/v1/offers/0b6f7d0e-8d1c-4a57-9f0e-2c4f3f6a9b10`,
  institutionsUri: `${BASE}/v1/institutions/`,
  content,
  provider: institution(schac),
  coAwarding: coAwarding.map(institution),
})

export const exportable = (): OfferContent => ({
  title: { en: 'Data literacy for researchers', it: 'Alfabetizzazione ai dati' },
  description: { en: 'Find, clean, analyse and share research data.' },
  homepage: 'https://www.unibo.it/en',
  learningOutcomes: [{ text: { en: 'Clean and document a research data set' } }],
  ects: 3,
  workloadHours: 75,
  eqfLevel: 7,
  nqfLevels: ['http://data.europa.eu/snb/qdr/c_0fe2b814'],
  assessments: [{ type: 'project', mode: 'online' }],
  participation: ['online'],
  learningSetting: 'non_formal',
  qualityAssurance: { type: 'external', agency: { name: 'ANVUR', country: 'IT', reportUrl: 'https://www.anvur.it/' }, level: 'institutional', validUntil: '2030-06-30' },
  iscedFields: ['0542'],
  languages: ['en', 'it'],
  prerequisites: { en: 'Basic statistics' },
  issuerCountries: ['IT'],
})

/** Each demo offer as stored content, with its institution and external id. */
export const demoContents = () =>
  DEMO_OFFERS.map(({ institution: schac, externalId, offer }) => {
    const { status: _status, alliances: _alliances, ...input } = offer
    return { schac, externalId, content: withDefaults(input as OfferContent, { schac, country: institution(schac).country }) }
  })

const choose = <T>(values: readonly T[]) => fc.constantFrom(...values)
const text = fc.string({ minLength: 1, maxLength: 40 }).filter((value) => value.trim().length > 0)
/** Offers stating everything the exports need (fast-check). */
export const completeOffers = fc.record({
  title: fc.record({ en: text }, { requiredKeys: ['en'] }),
  description: fc.record({ en: text }),
  homepage: fc.webUrl({ validSchemes: ['https'] }),
  learningOutcomes: fc.array(fc.record({ text: fc.record({ en: text }) }), { minLength: 1, maxLength: 3 }),
  ects: fc.integer({ min: 1, max: 600 }).map((tenths) => tenths / 10),
  eqfLevel: fc.integer({ min: 1, max: 8 }),
  nqfLevels: fc.uniqueArray(choose(NQF_LEVELS.map((entry) => entry.uri)), { minLength: 1, maxLength: 2 }),
  assessments: fc.array(fc.record({ type: choose(ASSESSMENT_CODES), mode: choose(PARTICIPATION_CODES) }), { maxLength: 3 }),
  participation: fc.uniqueArray(choose(PARTICIPATION_CODES), { maxLength: 3 }),
  learningSetting: choose(['formal', 'non_formal'] as const),
  iscedFields: fc.uniqueArray(choose(ISCED_F.map((entry) => entry.code)), { minLength: 1, maxLength: 3 }),
  languages: fc.uniqueArray(choose(LANGUAGES.map((entry) => entry.code)), { minLength: 1, maxLength: 3 }),
  qualityAssurance: fc.option(
    fc.record({ type: fc.constant('external' as const), agency: fc.record({ name: text, country: choose(COUNTRIES.map((entry) => entry.code)) }), level: choose(['institutional', 'programme'] as const) }),
    { nil: undefined },
  ),
})
