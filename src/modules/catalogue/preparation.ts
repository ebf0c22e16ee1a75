import type { FieldError } from '../../errors.js'
import { checkCompliance } from './compliance.js'
import { contentHash, indexedFields, withDefaults, type IndexedFields, type InstitutionContext } from './content.js'
import type { PreparedContent } from './repository.js'
import { checkOfferRules } from './rules.js'
import type { Compliance, OfferContent, OfferInput } from './schemas.js'

/** The content a write states: not its desired status, nor the alliances (see OfferInput). */
function contentOf(input: OfferInput): OfferContent {
  const { status: _status, alliances: _alliances, ...content } = input
  return content
}

export interface PreparedOffer {
  state: PreparedContent
  desiredStatus: 'draft' | 'published'
  /** Violations of the content rules (a draft may be incomplete, never wrong). */
  ruleErrors: FieldError[]
}

/** Pure preparation of a write: defaults, rules, Annex I compliance, hash and derived fields. */
export function prepareOffer(input: OfferInput, context: Omit<InstitutionContext, 'alliances'>): PreparedOffer {
  const content = withDefaults(contentOf(input), context)
  let indexed: IndexedFields | undefined
  return {
    state: {
      content,
      contentHash: contentHash(content),
      compliance: checkCompliance(content),
      // Needed only when the offer is written: an unchanged re-sync of thousands of offers
      // never folds their texts.
      get indexed() {
        return (indexed ??= indexedFields(content))
      },
    },
    desiredStatus: input.status ?? 'published',
    ruleErrors: checkOfferRules(content),
  }
}

export interface OfferProblem {
  code: 'INVALID_OFFER' | 'OFFER_INCOMPLETE'
  errors: FieldError[]
  /** The Annex I elements missing from an offer that was to be published. */
  missing?: Compliance['missing']
}

/**
 * Why a prepared offer cannot be written, if it cannot: broken rules (INVALID_OFFER), or
 * missing Annex I elements on an offer to be published (OFFER_INCOMPLETE). Every failing
 * field is listed either way.
 */
export function offerProblem(prepared: PreparedOffer, references: FieldError[]): OfferProblem | undefined {
  const ruleErrors = [...prepared.ruleErrors, ...references]
  const { compliance } = prepared.state
  const incomplete = prepared.desiredStatus === 'published' && !compliance.complete
  if (ruleErrors.length === 0 && !incomplete) return undefined
  const missingErrors: FieldError[] = incomplete
    ? compliance.missing.map((m) => ({
      in: 'body',
      pointer: m.field,
      detail: `${m.detail} (Annex I, element ${m.number}: ${m.element})`,
    }))
    : []
  return {
    code: ruleErrors.length > 0 ? 'INVALID_OFFER' : 'OFFER_INCOMPLETE',
    errors: [...ruleErrors, ...missingErrors],
    ...(incomplete ? { missing: compliance.missing } : {}),
  }
}
