/**
 * Whole-catalogue exports written as they are read: one document at a time goes out, so the
 * memory an export holds does not grow with the catalogue. Pure (no HTTP, no SQL).
 */
import { loqDocumentStart, loqFragments, loqOrganisation, type LoqFragments } from './loq-xml.js'
import type { ExportedOrganisation, ExportSource } from './source.js'

type Node = Record<string, unknown>

/** An ELM dataset: one JSON-LD document, the shared context once, each learning opportunity in @graph. */
export async function * elmDataset(context: object, documents: AsyncIterable<Node>): AsyncGenerator<string> {
  yield `{"@context":${JSON.stringify(context)},"@graph":[`
  let separator = '\n'
  for await (const { '@context': _context, ...node } of documents) {
    yield `${separator}${JSON.stringify(node)}`
    separator = ',\n'
  }
  yield '\n]}\n'
}

/** OB3 Achievements: a JSON array of complete documents, each with its own context. */
export async function * jsonArray(documents: AsyncIterable<Node>): AsyncGenerator<string> {
  yield '['
  let separator = '\n'
  for await (const document of documents) {
    yield `${separator}${JSON.stringify(document)}`
    separator = ',\n'
  }
  yield '\n]\n'
}

/** The containers of a LOQ XML document that hold offers' fragments, in the XSD's order. */
const LOQ_CONTAINERS: ReadonlyArray<[string, (fragments: LoqFragments) => string[]]> = [
  ['learningOpportunityReferences', (f) => [f.learningOpportunity]],
  ['learningAchievementSpecificationReferences', (f) => [f.qualification]],
  ['learningOutcomeReferences', (f) => f.learningOutcomes],
]

/**
 * A LOQ XML document. The XSD puts every learning opportunity before every qualification, and
 * those before every learning outcome, so the offers are read once per container (`sources(pass)`,
 * each pass page by page); the organisations met on the way (one per institution, few) close
 * the document with their locations.
 */
export async function * loqXmlDataset(
  sources: (pass: number) => AsyncIterable<ExportSource>,
  organisations: () => Promise<ExportedOrganisation[]>,
  institutionsUri: string,
): AsyncGenerator<string> {
  yield loqDocumentStart()
  for (const [pass, [container, pick]] of LOQ_CONTAINERS.entries()) {
    yield `<${container}>\n`
    for await (const source of sources(pass)) {
      for (const fragment of pick(loqFragments(source))) yield `${fragment}\n`
    }
    yield `</${container}>\n`
  }
  const mapped = (await organisations()).map((organisation) => loqOrganisation(institutionsUri, organisation))
  yield `<agentReferences>\n${mapped.map((m) => `${m.organisation}\n`).join('')}</agentReferences>\n`
  yield `<locationReferences>\n${mapped.map((m) => `${m.location}\n`).join('')}</locationReferences>\n`
  yield '</Courses>\n'
}
