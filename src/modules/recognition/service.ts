import { randomUUID } from 'node:crypto'
import type { Database, Executor } from '../../db/client.js'
import { lockDecisionKey } from '../../db/locks.js'
import { Errors, withExtensions, withFieldErrors } from '../../errors.js'
import type { Caller } from '../../lib/caller.js'
import type { CursorPosition } from '../../lib/cursor.js'
import { catalogueLookups } from '../catalogue/index.js'
import { registryLookups } from '../registry/index.js'
import type { AuditEntry, ChangeEntry, Write } from '../journal/index.js'
import { recognitionRepository as decisions, type DecisionEntryRow, type DecisionKey, type DecisionRow, type DecisionViewer, type OverdueRow } from './repository.js'
import { checkDecision, type OfferVersionFacts } from './rules.js'
import { learnerRefCollisions, normaliseLearnerRef, type LearnerRefCollision } from './rules-learner.js'
import { daysBetween, timeLimitErrors } from './rules-procedure.js'
import { periodsOverlap, statusAt } from './rules-validity.js'
import { coversOf, coversVersion, offerChanges, versionInForceOn, type Covers, type OfferChange } from './rules-versions.js'
import type {
  Decision,
  DecisionInput,
  DecisionListQuery,
  OfferRecognition,
  OfferRecognitionEntry,
  OverdueDecision,
  RecognitionSettings,
} from './schemas.js'

/** What a decision holds beyond its indexed columns (the `details` jsonb column). */
export interface DecisionDetails {
  recognisedAs: Decision['recognisedAs']
  substantialDifferences: Decision['substantialDifferences']
  justification?: string
  conditions: string[]
  appeal?: Decision['appeal']
  laterMeasures?: string
  /** Absent on decisions recorded before reasons were asked for. */
  supersessionReason?: Decision['supersessionReason']
  individualAssessment?: Decision['individualAssessment']
  appealOutcome?: Decision['appealOutcome']
  decidingBody?: string
  contact?: Decision['contact']
  policyUrl?: string
  applicationReceivedOn?: string
  applicationCompleteOn?: string
  /** Ex ante; absent: from the version decided on until a material change. */
  covers?: Covers
  credentialIssuedOn?: string
}

/** The statements a decision may carry or not, copied as given (absent stays absent). */
const OPTIONAL_STATEMENTS = [
  'justification',
  'appeal',
  'laterMeasures',
  'supersessionReason',
  'individualAssessment',
  'appealOutcome',
  'decidingBody',
  'contact',
  'policyUrl',
  'applicationReceivedOn',
  'applicationCompleteOn',
  'covers',
  'credentialIssuedOn',
] as const

function optionalStatements(from: DecisionInput | DecisionDetails): Partial<DecisionDetails> {
  return Object.fromEntries(OPTIONAL_STATEMENTS.filter((name) => from[name] !== undefined).map((name) => [name, from[name]]))
}

const creditsMapped = (details: Pick<DecisionDetails, 'recognisedAs'>) => details.recognisedAs.reduce((total, component) => total + Math.round(component.credits * 100), 0) / 100

const PRE_APPROVAL = { full: 'pre_approved', partial: 'partly_pre_approved', none: 'not_pre_approved' } as const

/** A decision as the API shows it, its status judged at a moment (now unless asked otherwise). */
export function toDecision(row: DecisionRow, at: Date = new Date()): Decision {
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
    creditsMapped: creditsMapped(details),
    recognisedAs: details.recognisedAs,
    substantialDifferences: details.substantialDifferences,
    conditions: details.conditions,
    ...optionalStatements(details),
    covers: row.scope === 'ex_ante' ? coversOf(details.covers, row.offerVersion) : null,
    validFrom: row.validFrom,
    validUntil: row.validUntil,
    decidedAt: row.decidedAt.toISOString(),
    supersedes: row.supersedes,
    supersededBy: row.supersededBy,
    preApproval: row.scope === 'ex_ante' ? PRE_APPROVAL[row.outcome] : null,
    status: statusAt(row, at),
    revokedAt: row.revokedAt?.toISOString() ?? null,
    revocationReason: row.revocationReason,
    automatic: details.conditions.length === 0,
    createdAt: row.createdAt.toISOString(),
  }
}

/**
 * Who sees individual decisions: the two parties with recognition:read, and the institution
 * that recorded them with recognition:write (a key that writes decisions manages its own).
 */
export function viewerOf(caller: Caller): DecisionViewer {
  return {
    reader: caller.has('recognition:read') ? caller.institution : null,
    writer: caller.has('recognition:write') ? caller.institution : null,
  }
}

/** Ex-ante decisions are public (transparency); individual ones only for their viewers. */
export function canSee(row: DecisionRow, caller: Caller): boolean {
  if (row.scope === 'ex_ante') return true
  const { reader, writer } = viewerOf(caller)
  return (reader !== null && (reader === row.recognisingInstitution || reader === row.offeringInstitution)) || (writer !== null && writer === row.recognisingInstitution)
}

/** Feed entries for a decision, with its validity period; individual ones are seen only by the two parties. */
function decisionChange(row: DecisionRow, action: 'created' | 'superseded' | 'revoked'): ChangeEntry {
  return {
    type: 'recognition',
    id: row.id,
    action,
    version: null,
    institution: row.recognisingInstitution,
    ...(row.scope === 'individual' ? { visibleTo: [row.recognisingInstitution, row.offeringInstitution] } : {}),
    validity: { validFrom: row.validFrom, validUntil: row.validUntil },
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

/** A decision as the registrar's views list it (also the bare benchmark limit's answer for scenario 5). */
export function toEntry(row: DecisionEntryRow, currentVersion: number, changes: OfferChange[]): OfferRecognitionEntry {
  const details = row.details
  const covers = coversOf(details.covers, row.offerVersion)
  return {
    decisionId: row.id,
    recognisingInstitution: row.recognisingInstitution,
    purpose: row.purpose as OfferRecognitionEntry['purpose'],
    outcome: row.outcome,
    creditsRecognised: row.creditsRecognised,
    creditsMapped: creditsMapped(details),
    recognisedAs: details.recognisedAs,
    conditions: details.conditions,
    automatic: details.conditions.length === 0,
    preApproval: PRE_APPROVAL[row.outcome],
    ...(details.individualAssessment !== undefined ? { individualAssessment: details.individualAssessment } : {}),
    ...(details.decidingBody !== undefined ? { decidingBody: details.decidingBody } : {}),
    ...(details.contact !== undefined ? { contact: details.contact } : {}),
    ...(details.policyUrl !== undefined ? { policyUrl: details.policyUrl } : {}),
    validFrom: row.validFrom,
    validUntil: row.validUntil,
    decidedAt: row.decidedAt.toISOString(),
    offerVersion: row.offerVersion,
    covers,
    offerChangedSince: changes,
    coversCurrentVersion: coversVersion(covers, currentVersion, changes),
  }
}

/** What the rules need to know of the offer version decided on, as the decider sees it. */
async function offerFacts(
  tx: Executor,
  input: DecisionInput,
  recognising: string,
): Promise<{ offerId: string; facts: OfferVersionFacts; credentialVersion?: number | null } | undefined> {
  const offer = await catalogueLookups.visibleOffer(tx, input.offerId, { institution: recognising })
  if (!offer) return undefined
  // An individual decision on a credential binds to the version in force the day it was issued.
  const credentialVersion =
    input.credentialIssuedOn === undefined || input.scope !== 'individual'
      ? undefined
      : (versionInForceOn(await catalogueLookups.publicationDates(tx, offer.id), input.credentialIssuedOn) ?? null)
  const found = await catalogueLookups.versionFacts(tx, offer.id, credentialVersion ?? input.offerVersion)
  return {
    offerId: offer.id,
    facts: { offeringInstitution: offer.institutionSchac, ...(found ? { version: found } : {}) },
    ...(credentialVersion === undefined ? {} : { credentialVersion }),
  }
}

/**
 * The decision the new one supersedes, if any. The decisions of the key that are neither
 * superseded nor revoked are all the caller's institution's own (the key names it), so naming
 * them reveals nothing the caller cannot read. Any of them whose validity overlaps the new
 * one's must be the one superseded: no two decisions for a key are in force on the same day.
 */
async function decisionToSupersede(
  tx: Executor,
  key: DecisionKey,
  period: { validFrom: string; validUntil: string | null },
  supersedes: string | undefined,
): Promise<DecisionRow | undefined> {
  await lockDecisionKey(tx, JSON.stringify([key.recognisingInstitution, key.offerId, key.scope, key.purpose, key.learnerKey]))
  const standing = await decisions.findStanding(tx, key)
  const superseded = supersedes === undefined ? undefined : standing.find((row) => row.id === supersedes.toLowerCase())
  if (supersedes !== undefined && superseded === undefined) {
    throw withFieldErrors(Errors.invalidDecision('supersedes must name a decision of this key that is neither superseded nor revoked'), [
      {
        in: 'body',
        pointer: '/supersedes',
        code: 'SUPERSEDES_MISMATCH',
        detail: standing.length > 0
          ? `name one of your institution's decisions for this offer, scope, learner and purpose: ${standing.map((row) => row.id).join(', ')}`
          : 'your institution has no decision in force for this offer, scope, learner and purpose',
      },
    ])
  }
  const overlapping = standing.filter((row) => row !== superseded && periodsOverlap(row, period))
  if (overlapping.length > 0) {
    const [first] = overlapping
    throw withExtensions(
      Errors.decisionInForce(
        `Decision ${first!.id} is in force for this offer, scope, learner and purpose from ${first!.validFrom} to ${first!.validUntil ?? 'no end'}, ` +
          'overlapping this one; supersede it or choose a validity period that does not overlap',
      ),
      { decisionInForce: first!.id, decisionsInForce: overlapping.map((row) => row.id) },
    )
  }
  return superseded
}

/** The versions whose contents the registrar's view compares: those decided on and the current ones, where they differ. */
function versionsToCompare(rows: DecisionEntryRow[], offers: Map<string, { version: number }>): Array<{ offerId: string; version: number }> {
  const wanted = new Map<string, { offerId: string; version: number }>()
  for (const row of rows) {
    const current = offers.get(row.offerId)!.version
    if (current === row.offerVersion) continue
    wanted.set(`${row.offerId}/${row.offerVersion}`, { offerId: row.offerId, version: row.offerVersion })
    wanted.set(`${row.offerId}/${current}`, { offerId: row.offerId, version: current })
  }
  return [...wanted.values()]
}

function detailsOf(input: DecisionInput): DecisionDetails {
  return {
    recognisedAs: input.recognisedAs ?? [],
    substantialDifferences: input.substantialDifferences ?? [],
    conditions: input.conditions ?? [],
    ...optionalStatements(input),
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
      const found = await offerFacts(tx, input, acting)
      const now = new Date()
      const decidedAt = input.decidedAt ? new Date(input.decidedAt) : now
      const errors = checkDecision(input, {
        recognisingInstitution: acting,
        offer: found?.facts,
        today: decidedAt.toISOString().slice(0, 10),
        now,
        ...(found?.credentialVersion === undefined ? {} : { credentialVersion: found.credentialVersion }),
      })
      if (errors.length > 0) {
        throw withFieldErrors(Errors.invalidDecision(`The decision breaks ${errors.length} rule(s)`), errors)
      }
      const { offerId, facts } = found!
      const learnerKey = input.learnerRef === undefined ? null : normaliseLearnerRef(input.learnerRef)
      const key: DecisionKey = { recognisingInstitution: acting, offerId, scope: input.scope, learnerKey, purpose: input.purpose }
      const period = { validFrom: input.validFrom ?? decidedAt.toISOString().slice(0, 10), validUntil: input.validUntil ?? null }
      const inForce = await decisionToSupersede(tx, key, period, input.supersedes)

      const id = randomUUID()
      const feed: ChangeEntry[] = []
      const trail: AuditEntry[] = []
      if (inForce) {
        const superseded = await decisions.supersede(tx, inForce.id, id, now)
        if (!superseded) throw Errors.decisionNotInForce(`Decision ${inForce.id} is no longer in force; retry`)
        feed.push(decisionChange(superseded, 'superseded'))
        trail.push(decisionAudit(superseded, 'decision.superseded', { by: id, reason: input.supersessionReason?.code }))
      }
      const row = await decisions.insert(tx, {
        ...key,
        learnerRef: learnerKey,
        id,
        offeringInstitution: facts.offeringInstitution,
        offerVersion: facts.version!.number,
        credentialRef: input.credentialRef ?? null,
        purposeText: input.purposeText ?? null,
        outcome: input.outcome,
        creditsRecognised: input.creditsRecognised,
        details: detailsOf(input),
        ...period,
        decidedAt,
        supersedes: inForce?.id ?? null,
        createdAt: now,
      })
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
      if (!revoked) throw Errors.decisionNotInForce(`Decision ${id} is ${row.status}; only a decision neither superseded nor revoked can be revoked`)
      record({ at: now, audit: [decisionAudit(revoked, 'decision.revoked', { reason })], changes: [decisionChange(revoked, 'revoked')] })
      return toDecision(revoked)
    },

    /** An institution's published recognition settings (its time limit for individual decisions). */
    async settings(schac: string): Promise<RecognitionSettings> {
      if ((await registryLookups.institutionCountry(db, schac)) === undefined) throw Errors.notFound(`No institution ${schac}`)
      const row = await decisions.settingsOf(db, schac)
      return { institution: schac, decisionTimeLimit: row?.decisionTimeLimit ?? null, updatedAt: row?.updatedAt.toISOString() ?? null }
    },

    async putSettings({ tx, actor, record }: Write, schac: string, decisionTimeLimit: string): Promise<RecognitionSettings> {
      if (actor.institution !== schac) throw Errors.forbidden('An institution sets its own recognition settings')
      const errors = timeLimitErrors(decisionTimeLimit)
      if (errors.length > 0) throw withFieldErrors(Errors.unprocessable('The time limit is not reasonable'), errors)
      const now = new Date()
      const row = await decisions.putSettings(tx, schac, decisionTimeLimit, now)
      record({ at: now, audit: [{ action: 'recognition_settings.put', objectType: 'institution', objectId: schac, details: { decisionTimeLimit } }], changes: [] })
      return { institution: schac, decisionTimeLimit: row.decisionTimeLimit, updatedAt: row.updatedAt.toISOString() }
    },

    /**
     * The caller's institution's individual decisions taken after its time limit ran out (from
     * the day the application was complete), with how many there are in all.
     */
    async overdue(caller: Caller, after: CursorPosition | undefined, limit: number) {
      const { reader, writer } = viewerOf(caller)
      const institution = writer ?? reader
      if (institution === null) throw Errors.insufficientScope('Listing overdue decisions needs an institution key with recognition:write or recognition:read')
      const timeLimit = (await decisions.settingsOf(db, institution))?.decisionTimeLimit ?? null
      if (timeLimit === null) return { timeLimit, count: 0, rows: [] }
      const [count, rows] = await Promise.all([
        decisions.countOverdue(db, institution, timeLimit),
        decisions.overdue(db, institution, timeLimit, after === undefined ? undefined : { decidedAt: String(after[0]), id: String(after[1]) }, limit),
      ])
      return { timeLimit, count, rows }
    },

    async get(viewer: Caller, id: string): Promise<Decision> {
      return toDecision(await visibleDecision(viewer, id))
    },

    async history(viewer: Caller, id: string): Promise<Decision[]> {
      const row = await visibleDecision(viewer, id)
      return (await decisions.chainOf(db, row)).map((link) => toDecision(link))
    },

    async list(caller: Caller, query: Omit<DecisionListQuery, 'cursor' | 'limit'>, after: CursorPosition | undefined, limit: number) {
      const viewer = viewerOf(caller)
      if (query.learnerRef !== undefined && viewer.reader === null && viewer.writer === null) {
        throw Errors.insufficientScope('Filtering by learnerRef needs a key with recognition:read or recognition:write')
      }
      return decisions.list(db, {
        offerId: query.offer,
        offeringInstitution: query.offeringInstitution,
        recognisingInstitution: query.recognisingInstitution,
        outcome: query.outcome,
        scope: query.scope,
        purpose: query.purpose,
        status: query.status,
        learnerKey: query.learnerRef === undefined ? undefined : normaliseLearnerRef(query.learnerRef),
        decidedSince: query.decidedSince === undefined ? undefined : new Date(query.decidedSince),
        ...(query.at === undefined ? {} : { at: new Date(query.at) }),
        viewer,
        after: after === undefined ? undefined : { createdAt: String(after[0]), id: String(after[1]) },
        limit,
      })
    },

    /** The registrar's view of offers: every ex-ante decision in force at a moment (now by default), and whether the offer changed since. */
    async offerRecognition(viewer: Caller, offerIds: string[], options: { institution?: string; at?: string } = {}): Promise<OfferRecognition[]> {
      const at = options.at === undefined ? undefined : new Date(options.at)
      // The offers' states and their decisions in one round trip's time: the decisions of offers
      // the viewer may not see are dropped once the states say which those are.
      const [found, decided] = await Promise.all([
        catalogueLookups.visibleStatuses(db, offerIds, viewer),
        decisions.exAnteInForce(db, offerIds, options.institution, at),
      ])
      const byId = new Map(found.map((offer) => [offer.id, offer]))
      const rows = decided.filter((row) => byId.has(row.offerId))
      const entries = new Map<string, OfferRecognitionEntry[]>()
      const contents = await catalogueLookups.versionContents(db, versionsToCompare(rows, byId))
      // Decisions on the same version of an offer share what changed since: compared once.
      const changesSince = new Map<string, OfferChange[]>()
      for (const row of rows) {
        const current = byId.get(row.offerId)!.version
        const decided = `${row.offerId}/${row.offerVersion}`
        let changes = changesSince.get(decided)
        if (changes === undefined) {
          const before = contents.get(decided)
          const after = contents.get(`${row.offerId}/${current}`)
          changes = before && after ? offerChanges(before, after) : []
          changesSince.set(decided, changes)
        }
        const list = entries.get(row.offerId) ?? []
        list.push(toEntry(row, current, changes))
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
          offerWithdrawn: offer?.status === 'withdrawn',
          recognitions: offer ? (entries.get(id) ?? []) : [],
        }
      })
    },
  }
}

export type RecognitionService = ReturnType<typeof createRecognitionService>

export function toOverdue(row: OverdueRow): OverdueDecision {
  return {
    decisionId: row.id,
    offerId: row.offerId,
    learnerRef: row.learnerRef ?? '',
    status: row.status,
    applicationCompleteOn: row.applicationCompleteOn,
    dueBy: row.dueBy,
    decidedAt: row.decidedAt.toISOString(),
    daysTaken: daysBetween(row.applicationCompleteOn, row.decidedAt.toISOString().slice(0, 10)),
  }
}

/** Individual decisions in force whose learner references are one learner once normalised (the admin command's report). */
export async function learnerCollisions(db: Executor): Promise<LearnerRefCollision[]> {
  const rows = await decisions.standingIndividual(db)
  return learnerRefCollisions(rows.map((row) => ({ ...row, learnerRef: row.learnerRef ?? '' })))
}
