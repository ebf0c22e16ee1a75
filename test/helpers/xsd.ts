import { spawnSync } from 'node:child_process'
import { resolve } from 'node:path'
import { INTEROP_DIR, readInterop } from './interop.js'

/**
 * Offline validation of a LOQ XML document against the official loq.xsd (with its vocabulary
 * lists in cv/) by xmllint, as the Qualification Dataset Register verifies it. The result also
 * counts, in the validated document itself, the learning opportunities of the LOQ namespace:
 * an empty or mis-namespaced document cannot pass for a catalogue.
 */
const LOQ_XSD = 'elm/xsd/loq/loq.xsd'
const LOQ = 'http://data.europa.eu/snb/model/ap/loq-constraints/'

export interface XsdResult {
  valid: boolean
  /** xmllint's messages when the document is not valid. */
  errors: string
  learningOpportunities: number
}

export function validateLoqXml(xml: string): XsdResult {
  readInterop(LOQ_XSD) // fails, naming the directory, when the artefacts are missing
  const schema = resolve(INTEROP_DIR, LOQ_XSD)
  const validation = spawnSync('xmllint', ['--noout', '--nonet', '--schema', schema, '-'], { input: xml, encoding: 'utf8' })
  const xpath = `count(/*[local-name()='Courses' and namespace-uri()='${LOQ}']/*[local-name()='learningOpportunityReferences']/*[local-name()='learningOpportunity' and namespace-uri()='${LOQ}'])`
  const counted = spawnSync('xmllint', ['--nonet', '--xpath', xpath, '-'], { input: xml, encoding: 'utf8' })
  return { valid: validation.status === 0, errors: validation.stderr, learningOpportunities: Number(counted.stdout.trim() || 'NaN') }
}
