import jsonld from 'jsonld'
import { DataFactory, Parser, Store } from 'n3'
import SHACLValidator from 'rdf-validate-shacl'
import { readInterop } from './interop.js'

/**
 * Offline validation of an ELM export against the LOQ SHACL shapes of
 * ../shared/interop/elm/rdf/ap/loq/, with the load-time fixes the interop README describes
 * (the artefacts themselves are never edited).
 */
const SH = 'http://www.w3.org/ns/shacl#'
const { namedNode, literal, quad } = DataFactory

/** `(?i)` is Java's inline flag, which JavaScript's RegExp refuses: drop it and say sh:flags "i". */
function fixInlineRegexFlags(shapes: Store): void {
  for (const pattern of shapes.getQuads(null, namedNode(`${SH}pattern`), null, null)) {
    if (!pattern.object.value.includes('(?i)')) continue
    shapes.removeQuad(pattern)
    shapes.addQuad(quad(pattern.subject, pattern.predicate, literal(pattern.object.value.replace('(?i)', ''))))
    shapes.addQuad(quad(pattern.subject, namedNode(`${SH}flags`), literal('i')))
  }
}

const shapes = new Store(['LOQ-constraints.ttl', 'LOQ-constraints-mdr.ttl'].flatMap((file) => new Parser().parse(readInterop(`elm/rdf/ap/loq/${file}`))))
fixInlineRegexFlags(shapes)

export interface ShaclResult {
  conforms: boolean
  /** How many nodes of each class the shapes target the export has: none means nothing was checked. */
  targeted: Record<string, number>
  /** `path constraint (focus node)` of each violation. */
  violations: string[]
  quads: number
}

const TARGET_CLASS = namedNode(`${SH}targetClass`)
const RDF_TYPE = namedNode('http://www.w3.org/1999/02/22-rdf-syntax-ns#type')

/** Expands the document (safe mode: a term the context does not define fails) and validates it. */
export async function validateElm(document: object): Promise<ShaclResult> {
  const nquads = (await jsonld.toRDF(document as jsonld.JsonLdDocument, { format: 'application/n-quads', safe: true } as jsonld.Options.ToRdf)) as unknown as string
  const data = new Store(new Parser({ format: 'N-Quads' }).parse(nquads))
  const targetClasses = new Set(shapes.getQuads(null, TARGET_CLASS, null, null).map((q) => q.object.value))
  const targeted: Record<string, number> = {}
  for (const typed of data.getQuads(null, RDF_TYPE, null, null)) {
    if (targetClasses.has(typed.object.value)) targeted[typed.object.value] = (targeted[typed.object.value] ?? 0) + 1
  }
  const validator = new SHACLValidator(shapes, { importGraph: () => new Store() } as never)
  const report = await validator.validate(data)
  return {
    conforms: report.conforms,
    targeted,
    quads: data.size,
    violations: report.results.map((r) => `${r.path?.value ?? ''} ${r.sourceConstraintComponent?.value.replace(SH, 'sh:') ?? ''} (${r.focusNode?.value ?? ''})`),
  }
}
