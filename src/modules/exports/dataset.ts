/**
 * Whole-catalogue exports written as they are read: one document at a time goes out, so the
 * memory an export holds does not grow with the catalogue. Pure (no HTTP, no SQL).
 */
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
