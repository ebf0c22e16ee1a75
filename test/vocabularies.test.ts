import t, { type Test } from 'tap'
import {
  ASSESSMENT_TYPES,
  COUNTRIES,
  CREDIT_SYSTEMS,
  EQF_LEVELS,
  ISCED_F,
  LANGUAGES,
  LEARNING_OPPORTUNITY_TYPES,
  LEARNING_SETTINGS,
  NQF_LEVELS,
  NUTS_CODES,
  NUTS_URI,
  PARTICIPATION_FORMS,
  QA_LEVELS_VOCABULARY,
  countryUri,
  isIscedField,
  isNqfLevel,
  nutsCountry,
  languageUri,
} from '../src/vocabularies/index.js'
import type { VocabularyEntry } from '../src/vocabularies/elm.js'
import { xsdVocabulary } from './helpers/interop.js'

/**
 * Each vocabulary compared with the EU's list as the ELM LOQ schema enumerates it
 * (../shared/interop/elm/xsd/loq/cv/): codes, URIs and labels.
 */

const byUri = (entries: ReadonlyArray<{ uri: string; label: string }>) => new Map(entries.map((entry) => [entry.uri, entry.label]))

function sameList(t: Test, ours: ReadonlyArray<VocabularyEntry>, xsd: string) {
  const official = xsdVocabulary(xsd)
  t.same([...byUri(ours)].sort(), [...byUri(official)].sort(), `every concept of ${xsd}.xsd, each once, with its label`)
  t.equal(new Set(ours.map((entry) => entry.code)).size, ours.length, 'codes are unique')
}

t.test('ISCED-F: exactly the EU list, the code being the last segment of the URI', async (t) => {
  sameList(t, ISCED_F, 'isced-f')
  for (const entry of ISCED_F) t.equal(entry.uri, `http://data.europa.eu/snb/isced-f/${entry.code}`)
  for (const code of ['0099', '0499', '0799', '1099', '000', '0000', '009', '0688', '0619']) t.ok(isIscedField(code), `${code} exists`)
  for (const code of ['0010', '0420', '1049', '0699', '12', '0421x']) t.notOk(isIscedField(code), `${code} does not`)
})

t.test('EQF levels 1–8', async (t) => {
  sameList(t, EQF_LEVELS, 'eqf')
  t.same(EQF_LEVELS.map((level) => level.code), ['1', '2', '3', '4', '5', '6', '7', '8'])
})

t.test('learning settings, modes of learning and assessment, assessment types (14), credit systems, NQF levels', async (t) => {
  sameList(t, LEARNING_SETTINGS, 'europass-learning-setting-types')
  sameList(t, PARTICIPATION_FORMS, 'europass-modes')
  sameList(t, ASSESSMENT_TYPES, 'europass-learning-assessment-types')
  t.equal(ASSESSMENT_TYPES.length, 14)
  sameList(t, CREDIT_SYSTEMS, 'credit-points')
  sameList(t, NQF_LEVELS, 'nqf')
  for (const entry of NQF_LEVELS) t.equal(entry.uri, `http://data.europa.eu/snb/qdr/${entry.code}`)
  t.ok(isNqfLevel('http://data.europa.eu/snb/qdr/c_01be7324'))
  t.notOk(isNqfLevel('http://data.europa.eu/snb/qdr/c_00000000'))
})

t.test('NUTS regions: exactly the EU list; each is in the country its prefix names', async (t) => {
  t.same([...NUTS_CODES].map((code) => `${NUTS_URI}${code}`).sort(), xsdVocabulary('nuts').map((entry) => entry.uri).sort())
  t.equal(nutsCountry('EL30'), 'GR')
  t.equal(nutsCountry('UKI3'), 'GB')
  t.equal(nutsCountry('ITH55'), 'IT')
})

t.test('quality assurance levels are the EU\'s quality assurance accreditation types', async (t) => {
  const official = byUri(xsdVocabulary('europass-accreditation-types'))
  for (const entry of QA_LEVELS_VOCABULARY) t.equal(official.get(entry.uri), entry.label, entry.code)
})

t.test('learning opportunity types: those we offer are in the EU list, with its labels', async (t) => {
  const official = byUri(xsdVocabulary('europass-learning-opportunity-types'))
  for (const entry of LEARNING_OPPORTUNITY_TYPES) t.equal(official.get(entry.uri), entry.label, entry.code)
})

t.test('languages: every ISO 639-1 language the EU lists, mapped to its three-letter entry', async (t) => {
  const official = byUri(xsdVocabulary('language'))
  for (const entry of LANGUAGES) {
    t.ok(official.has(entry.uri), `${entry.code} → ${entry.uri} is in the EU list`)
    const label = official.get(entry.uri)
    if (label) t.equal(entry.label, label, `${entry.code} is labelled as the EU labels it`)
  }
  t.equal(new Set(LANGUAGES.map((entry) => entry.uri)).size, LANGUAGES.length, 'no two codes share an entry')
  const eu24 = ['bg', 'cs', 'da', 'de', 'el', 'en', 'es', 'et', 'fi', 'fr', 'ga', 'hr', 'hu', 'it', 'lt', 'lv', 'mt', 'nl', 'pl', 'pt', 'ro', 'sk', 'sl', 'sv']
  t.same(eu24.map((code) => languageUri(code)?.slice(-3)), ['BUL', 'CES', 'DAN', 'DEU', 'ELL', 'ENG', 'SPA', 'EST', 'FIN', 'FRA', 'GLE', 'HRV', 'HUN', 'ITA', 'LIT', 'LAV', 'MLT', 'NLD', 'POL', 'POR', 'RON', 'SLK', 'SLV', 'SWE'])
  t.equal(languageUri('pt-BR'), 'http://publications.europa.eu/resource/authority/language/POR', 'a tag maps by its primary subtag')
  t.equal(languageUri('EN'), 'http://publications.europa.eu/resource/authority/language/ENG')
  t.equal(languageUri('sh'), undefined, 'Serbo-Croatian has no EU entry')
  t.equal(languageUri('gsw'), undefined, 'a three-letter subtag is not in the table')
})

t.test('countries: every EU country entry that has an ISO 3166-1 code, and no other', async (t) => {
  const official = xsdVocabulary('country')
  const ours = byUri(COUNTRIES)
  for (const entry of official) {
    if (ours.has(entry.uri)) t.equal(ours.get(entry.uri), entry.label, entry.uri)
  }
  t.same(
    official.filter((entry) => !ours.has(entry.uri)).map((entry) => entry.label).sort(),
    ['Clipperton', 'European Union', 'Provisional data'],
    'only entries without an ISO code are left out',
  )
  t.equal(ours.size, COUNTRIES.length, 'no two codes share an entry')
  t.ok(COUNTRIES.every((entry) => /^[A-Z]{2}$/.test(entry.code)), 'codes are ISO alpha-2')
  t.equal(countryUri('NL'), 'http://publications.europa.eu/resource/authority/country/NLD')
  t.equal(countryUri('GR'), 'http://publications.europa.eu/resource/authority/country/GRC')
  t.equal(countryUri('XK'), 'http://publications.europa.eu/resource/authority/country/1A0')
  t.equal(countryUri('EL'), undefined, 'EL is the EU\'s statistical code for Greece, not ISO')
})
