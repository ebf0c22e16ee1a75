import type { FieldError } from '../../errors.js'
import { amountProblems } from '../../lib/credits.js'
import { learnerRefPersonalData } from './rules-learner.js'
import { decidedAtInFuture } from './rules-validity.js'
import { coversErrors } from './rules-versions.js'
import type { DecisionInput } from './schemas.js'

/**
 * The rules a recognition decision must keep (Lisbon Recognition Convention, ECTS Users'
 * Guide; see the domain reference §5). Pure: no HTTP, no SQL. Every broken rule is reported,
 * each with a stable code and the field at fault.
 */

/** What the rules need to know of the offer version being decided on. */
export interface OfferVersionFacts {
  offeringInstitution: string
  /** Undefined when the version does not exist. */
  version?: { number: number; published: boolean; ects: number | undefined }
}

export interface DecisionContext {
  recognisingInstitution: string
  /** Undefined when the offer does not exist (or is not visible). */
  offer: OfferVersionFacts | undefined
  /** The date the decision takes effect by default (its decision date). */
  today: string
  /** The server's clock, against which a decision date in the future is refused. */
  now: Date
  /**
   * With credentialIssuedOn: the offer version in force on that day, null when none had been
   * published by then.
   */
  credentialVersion?: number | null
}

const cents = (credits: number) => Math.round(credits * 100)

function error(pointer: string, code: string, detail: string): FieldError {
  return { in: 'body', pointer, code, detail }
}

/** The offer and version decided on: they exist, are another institution's, and were published. */
function offerErrors(input: DecisionInput, context: DecisionContext): FieldError[] {
  const { offer } = context
  if (!offer) return [error('/offerId', 'OFFER_NOT_FOUND', 'no such offer')]
  const errors: FieldError[] = []
  if (offer.offeringInstitution === context.recognisingInstitution) {
    errors.push(error('/offerId', 'OWN_OFFER', 'an institution does not recognise its own offers'))
  }
  if (!offer.version) {
    errors.push(error(input.offerVersion === undefined ? '/offerId' : '/offerVersion', 'OFFER_VERSION_NOT_FOUND', input.offerVersion === undefined ? 'the offer has no published version' : `the offer has no version ${input.offerVersion}`))
  } else if (!offer.version.published) {
    errors.push(error('/offerVersion', 'OFFER_VERSION_NOT_PUBLISHED', `version ${offer.version.number} was never published`))
  }
  return errors
}

/** The credits transferred: two decimals, within the offer's, as the outcome says; the components map no more than them. */
function creditErrors(input: DecisionInput, offerEcts: number | undefined): FieldError[] {
  const errors: FieldError[] = []
  const credits = cents(input.creditsRecognised)
  // Zero is what a refusal recognises (a partial one recognising 0 is PARTIAL_RECOGNISES_SOME);
  // any other amount is at least a tenth of a credit, as an offer's credits are.
  for (const problem of amountProblems(input.creditsRecognised, 'credits', { zeroAllowed: input.outcome !== 'full' })) {
    errors.push(error('/creditsRecognised', `CREDITS_${problem.code}`, problem.detail))
  }
  input.recognisedAs?.forEach((component, index) => {
    for (const problem of amountProblems(component.credits, 'credits')) {
      errors.push(error(`/recognisedAs/${index}/credits`, `CREDITS_${problem.code}`, problem.detail))
    }
  })
  const offered = offerEcts === undefined ? undefined : cents(offerEcts)
  if (offered !== undefined) {
    if (credits > offered) {
      errors.push(error('/creditsRecognised', 'CREDITS_EXCEED_OFFER', `must not exceed the ${offered / 100} ECTS of the offer version`))
    } else if (input.outcome === 'full' && credits !== offered) {
      errors.push(error('/creditsRecognised', 'FULL_RECOGNISES_ALL', `full recognition recognises all ${offered / 100} ECTS`))
    } else if (input.outcome === 'partial' && (credits === 0 || credits === offered)) {
      errors.push(error('/creditsRecognised', 'PARTIAL_RECOGNISES_SOME', `partial recognition recognises more than 0 and less than ${offered / 100} ECTS`))
    }
  }
  if (input.outcome === 'none' && credits !== 0) {
    errors.push(error('/creditsRecognised', 'NONE_RECOGNISES_NOTHING', 'a refusal recognises 0 credits'))
  }
  const components = input.recognisedAs ?? []
  const mapped = components.reduce((total, component) => total + cents(component.credits), 0)
  // Credits transferred may be mapped onto local components in part; the rest transfers as a block.
  if (mapped > credits) {
    errors.push(error('/recognisedAs', 'COMPONENTS_EXCEED_CREDITS', `the components map ${mapped / 100} ECTS, more than the ${credits / 100} transferred`))
  }
  components.forEach((component, index) => {
    const years = component.academicYear?.split('/').map(Number)
    if (years && years[1] !== years[0]! + 1) {
      errors.push(error(`/recognisedAs/${index}/academicYear`, 'ACADEMIC_YEAR', 'two consecutive years, e.g. 2026/2027'))
    }
  })
  return errors
}

/**
 * Less than full recognition is justified by substantial differences and tells the learner how
 * to appeal and what to do later (Lisbon Recognition Convention); full recognition names none.
 */
function justificationErrors(input: DecisionInput): FieldError[] {
  const errors: FieldError[] = []
  const differences = input.substantialDifferences ?? []
  if (input.outcome === 'full') {
    // A full decision may state differences it compensated (by conditions or additional work), and no others.
    differences.forEach((difference, index) => {
      if (difference.compensation === undefined) {
        errors.push(error(`/substantialDifferences/${index}/compensation`, 'FULL_DIFFERENCE_NOT_COMPENSATED', 'full recognition states only differences that were compensated: say how'))
      }
    })
    return errors
  }
  const policy = input.scope === 'ex_ante'
  const what = input.outcome === 'partial' ? 'partial recognition' : policy ? 'decision not to pre-approve' : 'refusal'
  if (!input.justification) errors.push(error('/justification', 'JUSTIFICATION_REQUIRED', `a ${what} gives its reasons`))
  if (differences.length === 0) {
    errors.push(error('/substantialDifferences', 'SUBSTANTIAL_DIFFERENCE_REQUIRED', 'only a substantial difference justifies less than full recognition; name at least one'))
  }
  if (policy && input.outcome === 'none') {
    // A policy that does not pre-approve refuses no one: every holder may apply for an individual assessment.
    if (!input.individualAssessment) errors.push(error('/individualAssessment', 'INDIVIDUAL_ASSESSMENT_REQUIRED', 'say where a holder applies for an individual assessment'))
    return errors
  }
  if (!input.appeal) errors.push(error('/appeal', 'APPEAL_REQUIRED', 'tell the learner how to appeal: body and deadline'))
  if (!input.laterMeasures) errors.push(error('/laterMeasures', 'LATER_MEASURES_REQUIRED', 'tell the learner what they can do to obtain recognition later'))
  return errors
}

/** A supersession says why; an individual decision is the individual assessment and points to none. */
function statementErrors(input: DecisionInput): FieldError[] {
  const errors: FieldError[] = []
  if (input.supersedes !== undefined && input.supersessionReason === undefined) {
    errors.push(error('/supersessionReason', 'SUPERSESSION_REASON_REQUIRED', 'say why the decision is superseded: appeal_upheld, correction, new_offer_version or policy_change'))
  }
  if (input.supersedes === undefined && input.supersessionReason !== undefined) {
    errors.push(error('/supersessionReason', 'SUPERSESSION_REASON_UNEXPECTED', 'only with supersedes'))
  }
  if (input.appealOutcome !== undefined) {
    const upheld = input.appealOutcome.result !== 'rejected'
    if (input.supersedes === undefined) {
      errors.push(error('/appealOutcome', 'APPEAL_OUTCOME_WITHOUT_SUPERSESSION', 'the outcome of an appeal is stated by the decision that supersedes the one appealed against'))
    } else if (upheld !== (input.supersessionReason?.code === 'appeal_upheld')) {
      errors.push(error('/appealOutcome/result', 'APPEAL_OUTCOME_MISMATCH', upheld ? 'an upheld appeal is the supersession reason appeal_upheld' : 'a rejected appeal does not uphold anything'))
    }
  }
  if (input.scope === 'individual' && input.individualAssessment !== undefined) {
    errors.push(error('/individualAssessment', 'INDIVIDUAL_ASSESSMENT_FORBIDDEN', 'an individual decision is the individual assessment'))
  }
  return errors
}

function dateErrors(input: DecisionInput, today: string, now: Date): FieldError[] {
  const errors: FieldError[] = []
  if (input.decidedAt !== undefined && decidedAtInFuture(new Date(input.decidedAt), now)) {
    errors.push(error('/decidedAt', 'DECIDED_AT_FUTURE', 'a decision is recorded once taken: its date may not lie in the future'))
  }
  const validFrom = input.validFrom ?? today
  if (input.validUntil !== undefined && input.validUntil <= validFrom) {
    errors.push(error('/validUntil', 'VALIDITY_PERIOD', 'must be after validFrom'))
  }
  const decisionDay = (input.decidedAt ?? today).slice(0, 10)
  if (input.appeal && (input.appeal.deadline === undefined) === (input.appeal.period === undefined)) {
    errors.push(error('/appeal', 'APPEAL_DEADLINE_OR_PERIOD', 'give either a period counted from notification (P30D) or a deadline, not both'))
  }
  if (input.appeal?.deadline !== undefined && input.appeal.deadline < decisionDay) {
    errors.push(error('/appeal/deadline', 'APPEAL_DEADLINE_PAST', 'must not be before the decision'))
  }
  if (input.appealOutcome !== undefined && input.appealOutcome.decidedOn > decisionDay) {
    errors.push(error('/appealOutcome/decidedOn', 'APPEAL_OUTCOME_AFTER_DECISION', 'the appeal was decided before this decision records it'))
  }
  return errors
}

/** Individual decisions: the application's dates, in order, before the decision (Lisbon Recognition Convention: a time limit runs from them). */
function procedureErrors(input: DecisionInput, today: string): FieldError[] {
  const { applicationReceivedOn: received, applicationCompleteOn: complete } = input
  if (input.scope === 'ex_ante') {
    return ['applicationReceivedOn', 'applicationCompleteOn']
      .filter((field) => input[field as 'applicationReceivedOn'] !== undefined)
      .map((field) => error(`/${field}`, 'APPLICATION_DATES_INDIVIDUAL_ONLY', 'an ex-ante decision answers no application'))
  }
  const errors: FieldError[] = []
  const decisionDay = (input.decidedAt ?? today).slice(0, 10)
  if (received !== undefined && complete !== undefined && complete < received) {
    errors.push(error('/applicationCompleteOn', 'APPLICATION_COMPLETE_BEFORE_RECEIVED', 'an application is complete on or after the day it arrived'))
  }
  for (const [field, day] of [['applicationReceivedOn', received], ['applicationCompleteOn', complete]] as const) {
    if (day !== undefined && day > decisionDay) errors.push(error(`/${field}`, 'APPLICATION_AFTER_DECISION', 'must not be after the decision'))
  }
  return errors
}

/**
 * Which versions a decision covers: an ex-ante policy states a range of them, an individual
 * decision binds to the version the learner completed (the one in force when the credential was issued).
 */
function versionErrors(input: DecisionInput, context: DecisionContext): FieldError[] {
  const errors: FieldError[] = []
  const decided = context.offer?.version?.number
  if (input.covers !== undefined) {
    if (input.scope === 'individual') errors.push(error('/covers', 'COVERS_EX_ANTE_ONLY', 'an individual decision is bound to the version the learner completed'))
    else if (decided !== undefined) errors.push(...coversErrors(input.covers, decided).map((found) => error(found.pointer, found.code, found.detail)))
  }
  if (input.credentialIssuedOn === undefined) return errors
  if (input.scope === 'ex_ante') {
    errors.push(error('/credentialIssuedOn', 'CREDENTIAL_ISSUED_ON_FORBIDDEN', 'an ex-ante decision names no issued credential'))
    return errors
  }
  if (input.credentialIssuedOn > (input.decidedAt ?? context.today).slice(0, 10)) {
    errors.push(error('/credentialIssuedOn', 'CREDENTIAL_ISSUED_AFTER_DECISION', 'a decision recognises a credential already issued'))
  }
  if (context.credentialVersion === null) {
    errors.push(error('/credentialIssuedOn', 'CREDENTIAL_BEFORE_OFFER', `no version of the offer had been published by ${input.credentialIssuedOn}`))
  } else if (input.offerVersion !== undefined && context.credentialVersion !== undefined && input.offerVersion !== context.credentialVersion) {
    errors.push(error('/offerVersion', 'OFFER_VERSION_MISMATCH', `version ${context.credentialVersion} was in force on ${input.credentialIssuedOn}, the day the credential was issued`))
  }
  return errors
}

/** An individual decision names its learner pseudonymously; an ex-ante one names nobody. */
function scopeErrors(input: DecisionInput): FieldError[] {
  if (input.scope === 'individual') {
    if (input.learnerRef === undefined) {
      return [error('/learnerRef', 'LEARNER_REF_REQUIRED', 'an individual decision names the learner by a pseudonymous reference')]
    }
    const personal = learnerRefPersonalData(input.learnerRef)
    return personal ? [error('/learnerRef', 'LEARNER_REF_PERSONAL_DATA', personal)] : []
  }
  const errors: FieldError[] = []
  if (input.learnerRef !== undefined) errors.push(error('/learnerRef', 'LEARNER_REF_FORBIDDEN', 'an ex-ante decision is for every holder and names no learner'))
  if (input.credentialRef !== undefined) errors.push(error('/credentialRef', 'CREDENTIAL_REF_FORBIDDEN', 'an ex-ante decision names no issued credential'))
  return errors
}

function purposeErrors(input: DecisionInput): FieldError[] {
  if (input.purpose === 'other' && !input.purposeText) return [error('/purposeText', 'PURPOSE_TEXT_REQUIRED', 'say what the purpose is')]
  if (input.purpose !== 'other' && input.purposeText !== undefined) return [error('/purposeText', 'PURPOSE_TEXT_UNEXPECTED', 'only for purpose "other"')]
  return []
}

/** Every rule the decision breaks, each with its code and the field at fault. */
export function checkDecision(input: DecisionInput, context: DecisionContext): FieldError[] {
  return [
    ...offerErrors(input, context),
    ...creditErrors(input, context.offer?.version?.ects),
    ...justificationErrors(input),
    ...dateErrors(input, context.today, context.now),
    ...procedureErrors(input, context.today),
    ...scopeErrors(input),
    ...purposeErrors(input),
    ...statementErrors(input),
    ...versionErrors(input, context),
  ]
}
