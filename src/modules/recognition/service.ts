import { randomUUID } from 'node:crypto'
import type { Database, Executor } from '../../db/client.js'
import { isUniqueViolation } from '../../db/errors.js'
import { Errors, withExtensions, withFieldErrors } from '../../errors.js'
import type { Caller } from '../../lib/caller.js'
import type { CursorPosition } from '../../lib/cursor.js'
import { catalogueLookups } from '../catalogue/index.js'
import type { AuditEntry, ChangeEntry, Write } from '../journal/index.js'
import { recognitionRepository as decisions, type DecisionEntryRow, type DecisionRow } from './repository.js'
import { checkDecision, type OfferVersionFacts } from './rules.js'
import type {
  Decision,
  DecisionInput,
  DecisionListQuery,
  OfferRecognition,
  OfferRecognitionEntry,
} from './schemas.js'

/** What a decision holds beyond its indexed columns (the `details` jsonb column). */
export interface DecisionDetails {
  recognisedAs: Decision['recognisedAs']
  substantialDifferences: Decision['substantialDifferences']
  justification?: string
  conditions: string[]
  appeal?: Decision['appeal']
  laterMeasures?: string
}

const today = () => new Date().toISOString().slice(0, 10)

function statusOf(row: DecisionRow): Decision['status'] {
  if (row.status === 'in_force' && row.validUntil !== null && row.validUntil < today()) return 'expired'
  return row.status
}

export function toDecision(row: DecisionRow): Decision {
  const details = row.details
  return {
    id: row.id,
    recognisingInstitution: row.recognisingInstitution,
    offeringInstitution: row.offeringInstitution,
    offerId: row.offerId,
    offerVersion: row.offerVersion,
    scope: row.scope,
    ...(row.learnerRef !== null ? { learnerRef: row.learnerRef } : {}),
    ...(row.credentialRef !== null ? { credentialRef: row.credentialRef } : {}),
    purpose: row.purpose as Decision['purpose'],
    ...(row.purposeText !== null ? { purposeText: row.purposeText } : {}),
    outcome: row.outcome,
    creditsRecognised: row.creditsRecognised,
    recognisedAs: details.recognisedAs,
    substantialDifferences: details.substantialDifferences,
    ...(details.justification !== undefined ? { justification: details.justification } : {}),
    conditions: details.conditions,
    ...(details.appeal !== undefined ? { appeal: details.appeal } : {}),
    ...(details.laterMeasures !== undefined ? { laterMeasures: details.laterMeasures } : {}),
    validFrom: row.validFrom,
    validUntil: row.validUntil,
    decidedAt: row.decidedAt.toISOString(),
    supersedes: row.supersedes,
    supersededBy: row.supersededBy,
    status: statusOf(row),
    revokedAt: row.revokedAt?.toISOString() ?? null,
    revocationReason: row.revocationReason,
    automatic: details.conditions.length === 0,
    createdAt: row.createdAt.toISOString(),
  }
}

/** Ex-ante decisions are public (transparency); individual ones only for the two parties. */
export function canSee(row: DecisionRow, viewer: Caller): boolean {
  if (row.scope === 'ex_ante') return true
  return (
    viewer.has('recognition:read') &&
    (viewer.institution === row.recognisingInstitution || viewer.institution === row.offeringInstitution)
  )
}

/** Feed entries for a decision; individual ones are seen only by the two parties. */
function decisionChange(row: DecisionRow, action: 'created' | 'superseded' | 'revoked'): ChangeEntry {
  return {
    type: 'recognition',
    id: row.id,
    action,
    version: null,
    institution: row.recognisingInstitution,
    ...(row.scope === 'individual' ? { visibleTo: [row.recognisingInstitution, row.offeringInstitution] } : {}),
  }
}

/** The learner reference never enters the audit trail: the decision id identifies the record. */
function decisionAudit(row: DecisionRow, action: string, details: Record<string, unknown>): AuditEntry {
  return {
    action,
    objectType: 'decision',
    objectId: row.id,
    details: { offerId: row.offerId, offerVersion: row.offerVersion, scope: row.scope, purpose: row.purpose, ...details },
  }
}

function toEntry(row: DecisionEntryRow, currentVersion: number): OfferRecognitionEntry {
  const details = row.details
  return {
    decisionId: row.id,
    recognisingInstitution: row.recognisingInstitution,
    purpose: row.purpose as OfferRecognitionEntry['purpose'],
    outcome: row.outcome,
    creditsRecognised: row.creditsRecognised,
    recognisedAs: details.recognisedAs,
    conditions: details.conditions,
    automatic: details.conditions.length === 0,
    validFrom: row.validFrom,
    validUntil: row.validUntil,
    decidedAt: row.decidedAt.toISOString(),
    offerVersion: row.offerVersion,
    offerChangedSince: currentVersion > row.offerVersion,
  }
}

/** What the rules need to know of the offer version decided on, as the decider sees it. */
async function offerFacts(
  tx: Executor,
  offerId: string,
  version: number | undefined,
  recognising: string,
): Promise<{ offerId: string; facts: OfferVersionFacts } | undefined> {
  const offer = await catalogueLookups.visibleOffer(tx, offerId, { institution: recognising })
  if (!offer) return undefined
  const found = await catalogueLookups.versionFacts(tx, offerId, version)
  return { offerId: offer.id, facts: { offeringInstitution: offer.institutionSchac, ...(found ? { version: found } : {}) } }
}

/** The key a decision in force is unique by. */
interface DecisionKey {
  recognisingInstitution: string
  offerId: string
  scope: DecisionInput['scope']
  learnerRef: string | null
  purpose: DecisionInput['purpose']
}

/** The decision in force for the key, which the new one must name to supersede it. */
async function decisionToSupersede(tx: Executor, key: DecisionKey, supersedes: string | undefined): Promise<DecisionRow | undefined> {
  const inForce = await decisions.findInForce(tx, key)
  if (inForce && supersedes === undefined) {
    throw withExtensions(
      Errors.decisionInForce(`Decision ${inForce.id} is in force for this offer, scope, learner and purpose; supersede it`),
      { decisionInForce: inForce.id },
    )
  }
  if (supersedes !== undefined && inForce?.id !== supersedes) {
    throw withFieldErrors(Errors.invalidDecision('supersedes must name the decision in force'), [
      {
        in: 'body',
        pointer: '/supersedes',
        code: 'SUPERSEDES_MISMATCH',
        detail: inForce ? `the decision in force is ${inForce.id}` : 'no decision is in force for this offer, scope, learner and purpose',
      },
    ])
  }
  return inForce
}

function detailsOf(input: DecisionInput): DecisionDetails {
  return {
    recognisedAs: input.recognisedAs ?? [],
    substantialDifferences: input.substantialDifferences ?? [],
    ...(input.justification !== undefined ? { justification: input.justification } : {}),
    conditions: input.conditions ?? [],
    ...(input.appeal !== undefined ? { appeal: input.appeal } : {}),
    ...(input.laterMeasures !== undefined ? { laterMeasures: input.laterMeasures } : {}),
  }
}

export function createRecognitionService(db: Database) {
  async function visibleDecision(viewer: Caller, id: string, executor: Executor = db, lock = false) {
    const row = await decisions.findById(executor, id, lock)
    if (!row || !canSee(row, viewer)) throw Errors.notFound(`No decision ${id}`)
    return row
  }

  return {
    /**
     * Records a decision for the acting institution, bound to an offer version; supersedes
     * the decision in force when told to.
     */
    async decide({ tx, actor, record }: Write, input: DecisionInput): Promise<Decision> {
      const acting = actor.institution
      if (acting === null) throw Errors.forbidden('Only a client of an institution can record its decisions')
      const found = await offerFacts(tx, input.offerId, input.offerVersion, acting)
      const decidedAt = input.decidedAt ? new Date(input.decidedAt) : new Date()
      const errors = checkDecision(input, {
        recognisingInstitution: acting,
        offer: found?.facts,
        today: decidedAt.toISOString().slice(0, 10),
      })
      if (errors.length > 0) {
        throw withFieldErrors(Errors.invalidDecision(`The decision breaks ${errors.length} rule(s)`), errors)
      }
      const { offerId, facts } = found!
      const key: DecisionKey = { recognisingInstitution: acting, offerId, scope: input.scope, learnerRef: input.learnerRef ?? null, purpose: input.purpose }
      const inForce = await decisionToSupersede(tx, key, input.supersedes)

      const now = new Date()
      const id = randomUUID()
      const feed: ChangeEntry[] = []
      const trail: AuditEntry[] = []
      if (inForce) {
        const superseded = await decisions.supersede(tx, inForce.id, id, now)
        if (!superseded) throw Errors.decisionNotInForce(`Decision ${inForce.id} is no longer in force; retry`)
        feed.push(decisionChange(superseded, 'superseded'))
        trail.push(decisionAudit(superseded, 'decision.superseded', { by: id }))
      }
      let row: DecisionRow
      try {
        row = await decisions.insert(tx, {
          ...key,
          id,
          offeringInstitution: facts.offeringInstitution,
          offerVersion: facts.version!.number,
          credentialRef: input.credentialRef ?? null,
          purposeText: input.purposeText ?? null,
          outcome: input.outcome,
          creditsRecognised: input.creditsRecognised,
          details: detailsOf(input),
          validFrom: input.validFrom ?? decidedAt.toISOString().slice(0, 10),
          validUntil: input.validUntil ?? null,
          decidedAt,
          supersedes: input.supersedes ?? null,
          createdAt: now,
        })
      } catch (error) {
        // Another decision for the same key committed while this one was being made.
        if (isUniqueViolation(error, 'recognition_one_in_force')) {
          throw Errors.decisionInForce('Another decision for this offer, scope, learner and purpose was recorded at the same time; supersede it')
        }
        throw error
      }
      feed.push(decisionChange(row, 'created'))
      trail.push(decisionAudit(row, 'decision.created', { outcome: row.outcome, creditsRecognised: row.creditsRecognised, supersedes: row.supersedes }))
      record({ at: now, audit: trail, changes: feed })
      return toDecision(row)
    },

    async revoke({ tx, actor, record }: Write, viewer: Caller, id: string, reason: string): Promise<Decision> {
      const row = await visibleDecision(viewer, id, tx, true)
      if (row.recognisingInstitution !== actor.institution) throw Errors.forbidden('Only the institution that decided can revoke a decision')
      const now = new Date()
      const revoked = await decisions.revoke(tx, id, reason, now)
      if (!revoked) throw Errors.decisionNotInForce(`Decision ${id} is ${row.status}; only a decision in force can be revoked`)
      record({ at: now, audit: [decisionAudit(revoked, 'decision.revoked', { reason })], changes: [decisionChange(revoked, 'revoked')] })
      return toDecision(revoked)
    },

    async get(viewer: Caller, id: string): Promise<Decision> {
      return toDecision(await visibleDecision(viewer, id))
    },

    async history(viewer: Caller, id: string): Promise<Decision[]> {
      const row = await visibleDecision(viewer, id)
      return (await decisions.chainOf(db, row)).map(toDecision)
    },

    async list(viewer: Caller, query: Omit<DecisionListQuery, 'cursor' | 'limit'>, after: CursorPosition | undefined, limit: number) {
      const canReadPrivate = viewer.has('recognition:read')
      if (query.learnerRef !== undefined && !canReadPrivate) {
        throw Errors.insufficientScope('Filtering by learnerRef needs a key with recognition:read')
      }
      return decisions.list(db, {
        offerId: query.offer,
        offeringInstitution: query.offeringInstitution,
        recognisingInstitution: query.recognisingInstitution,
        outcome: query.outcome,
        scope: query.scope,
        purpose: query.purpose,
        status: query.status,
        learnerRef: query.learnerRef,
        decidedSince: query.decidedSince === undefined ? undefined : new Date(query.decidedSince),
        viewerInstitution: canReadPrivate ? viewer.institution : null,
        after: after === undefined ? undefined : { createdAt: String(after[0]), id: String(after[1]) },
        limit,
      })
    },

    /** The registrar's view of offers: every ex-ante decision in force, and whether the offer changed since. */
    async offerRecognition(viewer: Caller, offerIds: string[], recognisingInstitution?: string): Promise<OfferRecognition[]> {
      const found = await catalogueLookups.visibleStatuses(db, offerIds, viewer)
      const byId = new Map(found.map((offer) => [offer.id, offer]))
      const entries = new Map<string, OfferRecognitionEntry[]>()
      for (const row of await decisions.exAnteInForce(db, [...byId.keys()], recognisingInstitution)) {
        const list = entries.get(row.offerId) ?? []
        list.push(toEntry(row, byId.get(row.offerId)!.version))
        entries.set(row.offerId, list)
      }
      return offerIds.map((offerId) => {
        // PostgreSQL answers with lower-case ids; a caller may have written them in capitals.
        const id = offerId.toLowerCase()
        const offer = byId.get(id)
        return {
          offerId,
          found: offer !== undefined,
          currentVersion: offer?.version ?? null,
          recognitions: offer ? (entries.get(id) ?? []) : [],
        }
      })
    },
  }
}

export type RecognitionService = ReturnType<typeof createRecognitionService>
