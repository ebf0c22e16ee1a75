import fc from 'fast-check'
import t from 'tap'
import { checkExportReadiness } from '../src/modules/catalogue/readiness.js'
import type { OfferContent } from '../src/modules/catalogue/schemas.js'
import { loqFragments, loqOrganisation, loqXmlDataset, xmlEscape, type ExportSource } from '../src/modules/exports/index.js'
import { completeOffers, demoContents, exportable, source } from './helpers/export-fixtures.js'
import { requires } from './helpers/requires.js'
import { validateLoqXml } from './helpers/xsd.js'

/**
 * The LOQ XML export, validated offline against the official loq.xsd by xmllint (skipped with
 * the reason outside CI when xmllint is missing, failed in CI). Each validation also counts the
 * learning opportunities of the validated document.
 */
await requires(t, 'xmllint')

/** A whole LOQ document of these sources, as the streaming writer produces it. */
async function loqDocument(sources: ExportSource[]): Promise<string> {
  const organisations = new Map(sources.flatMap((s) => [s.provider, ...s.coAwarding]).map((o) => [o.schac, o]))
  let text = ''
  for await (const chunk of loqXmlDataset(
    async function * () { yield * sources },
    async () => [...organisations.values()],
    sources[0]?.institutionsUri ?? 'https://api.example.eu/v1/institutions/',
  )) text += chunk
  return text
}

const withId = (s: ExportSource, n: number): ExportSource => ({ ...s, uri: `${s.uri.slice(0, -2)}${String(n).padStart(2, '0')}` })

t.test('every demo offer ready for ELM validates against loq.xsd, all in one document', async (t) => {
  const ready = demoContents().filter(({ content }) => checkExportReadiness(content).elm.ready)
  t.equal(ready.length, demoContents().length - 2, 'all but the draft and the language course without an EQF level')
  const xml = await loqDocument(ready.map(({ content, schac }, n) => withId(source(content, schac), n)))
  const result = validateLoqXml(xml)
  t.ok(result.valid, result.errors)
  t.equal(result.learningOpportunities, ready.length, 'the document holds every ready offer')
})

t.test('property: documents of complete offers (fast-check) validate and hold each offer', async (t) => {
  await fc.assert(
    fc.asyncProperty(fc.array(completeOffers, { minLength: 1, maxLength: 3 }), async (generated) => {
      const contents = generated as OfferContent[]
      if (!contents.every((content) => checkExportReadiness(content).elm.ready)) return false
      const result = validateLoqXml(await loqDocument(contents.map((content, n) => withId(source(content, 'unibo.it', n % 2 ? ['helsinki.fi'] : []), n))))
      if (!result.valid) throw new Error(`${JSON.stringify(contents)}\n${result.errors}`)
      return result.learningOpportunities === contents.length
    }),
    { numRuns: 25 },
  )
})

t.test('negative fixtures fail validation: no title, no homepage, an EQF code outside the list', async (t) => {
  const valid = validateLoqXml(await loqDocument([source(exportable())]))
  t.ok(valid.valid, valid.errors)
  t.equal(valid.learningOpportunities, 1)
  const cases: Array<[string, string, RegExp]> = [
    ['no title', await loqDocument([source({ ...exportable(), title: {} })]), /element description: .*Expected is one of \(.*title \)/],
    ['no homepage', await loqDocument([source({ ...exportable(), homepage: undefined })]), /Expected is .*homepage/],
    ['EQF level 9', (await loqDocument([source(exportable())])).replace('http://data.europa.eu/snb/eqf/7', 'http://data.europa.eu/snb/eqf/9'), /EQFLevel', attribute 'uri'.*not an element of the set/],
  ]
  for (const [name, xml, error] of cases) {
    const result = validateLoqXml(xml)
    t.notOk(result.valid, `${name} is refused`)
    t.match(result.errors, error, name)
  }
  t.notOk(validateLoqXml((await loqDocument([source(exportable())])).replace(/<Courses xmlns="[^"]+"/, '<Courses xmlns="urn:elsewhere"')).valid, 'a mis-namespaced document is refused')
})

t.test('an empty catalogue is a valid document that holds no learning opportunity', async (t) => {
  const result = validateLoqXml(await loqDocument([]))
  t.ok(result.valid, result.errors)
  t.equal(result.learningOpportunities, 0)
})

t.test('text is escaped, never markup: a hostile title stays a title', async (t) => {
  const hostile = '</title><homepage/>&amp; "quoted" \'single\' \u0007bell'
  const xml = await loqDocument([source({ ...exportable(), title: { en: hostile } })])
  const result = validateLoqXml(xml)
  t.ok(result.valid, result.errors)
  t.equal(xmlEscape(hostile), '&lt;/title&gt;&lt;homepage/&gt;&amp;amp; &quot;quoted&quot; &apos;single&apos; \uFFFDbell')
  t.ok(xml.includes(`<title language="en">${xmlEscape(hostile)}</title>`))
  t.equal(xmlEscape('\uD800 lone surrogate, \uFFFE'), '\uFFFD lone surrogate, \uFFFD')
})

t.test('the mapper is total: an offer stating little maps to little, never a made-up value', async (t) => {
  const bare = loqFragments({ ...source({ title: { fr: 'Cours' } }), provider: { schac: 'x.example', name: { fr: 'Université X' }, country: 'FR', website: null } })
  t.notMatch(bare.learningOpportunity, /<homepage|<description|<mode|<defaultLanguage/)
  t.notMatch(bare.qualification, /<EQFLevel|<NQFLevel|<ISCEDFCode|<volumeOfLearning|<learningSetting|<language|<learningOutcome/)
  t.same(bare.learningOutcomes, [])
  const unknown = loqFragments(source({ title: { en: 'x' }, eqfLevel: 'not_applicable', iscedFields: ['0420'], languages: ['sh'] } as OfferContent))
  t.notMatch(unknown.qualification, /<EQFLevel|<ISCEDFCode|<language/, 'codes outside the EU lists are left out')
  const organisation = { schac: 'x.example', name: { fr: 'Université X' }, country: 'FR', website: null }
  t.same(loqOrganisation('https://api.example.eu/v1/institutions/', organisation), {
    organisation: '<organisation id="https://api.example.eu/v1/institutions/x.example"><legalName language="fr">Université X</legalName><location idref="https://api.example.eu/v1/institutions/x.example#location"/></organisation>',
    location: '<location id="https://api.example.eu/v1/institutions/x.example#location"><address><countryCode uri="http://publications.europa.eu/resource/authority/country/FRA"/></address></location>',
  }, 'no website, no homepage')
  t.match(loqOrganisation('https://api.example.eu/v1/institutions/', { ...organisation, website: 'https://x.example/?a=1&b=2' }).organisation, '<homepage><contentUrl>https://x.example/?a=1&amp;b=2</contentUrl></homepage>')
})
