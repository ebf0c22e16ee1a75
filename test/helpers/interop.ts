import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The official interop artefacts (../shared/interop beside the repository, in every checkout
 * and in CI's clone; INTEROP_DIR overrides). They are read, never edited. Missing artefacts
 * fail the test that needs them: a check that cannot run must not pass.
 */
export const INTEROP_DIR = process.env.INTEROP_DIR ?? resolve(fileURLToPath(new URL('../../..', import.meta.url)), 'shared/interop')

export function readInterop(path: string): string {
  const file = resolve(INTEROP_DIR, path)
  if (!existsSync(file)) throw new Error(`${file} is missing: the interop artefacts are expected in ${INTEROP_DIR} (set INTEROP_DIR)`)
  return readFileSync(file, 'utf8')
}

export interface ListedConcept {
  uri: string
  /** The English label the list gives, '' where it gives none. */
  label: string
}

/** The concepts an ELM LOQ vocabulary schema (xsd/loq/cv/*.xsd) enumerates, in its order. */
export function xsdVocabulary(name: string): ListedConcept[] {
  const xsd = readInterop(`elm/xsd/loq/cv/${name}.xsd`)
  const concepts = [...xsd.matchAll(/<xs:enumeration value="([^"]+)">([\s\S]*?)<\/xs:enumeration>/g)].map(([, uri, body]) => ({
    uri: uri!,
    label: (/<xs:documentation>([\s\S]*?)<\/xs:documentation>/.exec(body!)?.[1] ?? '').replace(/\s+/g, ' ').trim(),
  }))
  if (concepts.length === 0) throw new Error(`${name}.xsd enumerates nothing`)
  return concepts
}
