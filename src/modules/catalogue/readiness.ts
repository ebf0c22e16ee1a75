import type { FieldError } from '../../errors.js'
import { vocabularyErrors } from './rules.js'
import type { ExportReadiness, OfferContent } from './schemas.js'

/**
 * Whether an offer's content can be exported to each target, and what is missing: the
 * elements the ELM LOQ profile requires of a learning opportunity and its qualification
 * (../shared/interop/elm/rdf/ap/loq/LOQ-constraints.ttl, minCount 1), and those the Open
 * Badges 3.0 specification requires of an Achievement. The provider, an Organisation with its
 * name and country, always exists. Pure: no HTTP, no SQL; computed when an offer is read.
 */
type Check = (content: OfferContent) => Missing | undefined
interface Missing {
  field: string
  detail: string
}

const hasText = (map: Record<string, string> | undefined) => map !== undefined && Object.values(map).some((text) => text.trim().length > 0)
const needs = (field: string, detail: string, stated: (content: OfferContent) => boolean): Check => (content) =>
  stated(content) ? undefined : { field, detail }

const title = needs('/title', 'State the title in at least one language', (c) => hasText(c.title))

const ELM: Check[] = [
  title,
  needs('/homepage', 'State the offer\'s homepage (an ELM learning opportunity has one)', (c) => c.homepage !== undefined),
  needs('/languages', 'State a language of instruction (the first is the default language)', (c) => (c.languages?.length ?? 0) > 0),
  needs('/learningOutcomes', 'State at least one learning outcome', (c) => c.learningOutcomes?.some((outcome) => hasText(outcome.text)) ?? false),
  needs('/iscedFields', 'State at least one ISCED-F field (the thematic area)', (c) => (c.iscedFields?.length ?? 0) > 0),
  needs('/eqfLevel', 'State the EQF level 1–8: an ELM qualification has exactly one', (c) => typeof c.eqfLevel === 'number'),
  needs('/nqfLevels', 'State at least one NQF level (an ELM qualification has one)', (c) => (c.nqfLevels?.length ?? 0) > 0),
  needs(
    '/qualityAssurance/level',
    'State whether the external review is institutional or of the programme (the type of the accreditation exported)',
    (c) => c.qualityAssurance?.agency === undefined || c.qualityAssurance.level !== undefined,
  ),
  needs(
    '/qualityAssurance/agency/country',
    'State the agency\'s country (the accrediting agent exported has an address)',
    (c) => c.qualityAssurance?.agency === undefined || c.qualityAssurance.agency.country !== undefined,
  ),
]

const OB3: Check[] = [
  title,
  needs('/description', 'State a description (an Achievement has one)', (c) => hasText(c.description)),
  needs(
    '/homepage',
    'State the homepage or a learning outcome: an Achievement\'s criteria are a URL or a narrative',
    (c) => c.homepage !== undefined || (c.learningOutcomes?.some((outcome) => hasText(outcome.text)) ?? false),
  ),
]

function readiness(checks: Check[], content: OfferContent, invalid: FieldError[]): ExportReadiness['elm'] {
  const missing = [
    ...checks.flatMap((check) => check(content) ?? []),
    ...invalid.map((error) => ({ field: error.pointer, detail: `${error.detail}: an export cannot name it` })),
  ]
  return { ready: missing.length === 0, missing }
}

export function checkExportReadiness(content: OfferContent): ExportReadiness {
  const invalid = vocabularyErrors(content)
  return { elm: readiness(ELM, content, invalid), ob3: readiness(OB3, content, invalid) }
}
