import type { Database, DatabaseHandle, Executor } from '../../db/client.js'
import { pgErrorOf } from '../../db/errors.js'
import { lockCatalogueShared } from '../../db/locks.js'
import { Errors, withFieldErrors, withHeaders, type FieldError } from '../../errors.js'
import type { Caller } from '../../lib/caller.js'
import { ConcurrencyLimit } from '../../lib/concurrency-limit.js'
import type { CursorPosition } from '../../lib/cursor.js'
import { assertPreconditions, type Preconditions } from '../../lib/preconditions.js'
import type { Write } from '../journal/index.js'
import { answerAwardingRequest, assertOwnRequests, listAwardingRequests } from './awarding.js'
import { foldText, namedInstitutions } from './content.js'
import { offerAudit, offerChanges } from './events.js'
import type { OfferEvent } from './lifecycle.js'
import { withdrawTransition } from './lifecycle.js'
import { offerEtag, toOffer, toOfferVersion } from './mappers.js'
import { prepareOffer } from './preparation.js'
import { catalogueRepository as offersRepository, RUM_SESSION_SETTINGS, type ExportScope, type OfferView, type RunFilter, type SearchRanking } from './repository.js'
import { searchIndexRepository } from './search-index-repository.js'
import { chooseRanking, type RankingChoice } from './search-ranking.js'
import { todayUtc } from './runs-rules.js'
import { registryLookups } from '../registry/index.js'
import { externalIdErrors } from './rules.js'
import type {
  AwardingAnswer,
  AwardingAnswerInput,
  AwardingRequest,
  ExportContent,
  Offer,
  OfferContent,
  OfferInput,
  OfferSearchQuery,
  OfferVersion,
  SearchIndexRepair,
  SearchIndexStatus,
  SyncRequest,
  SyncSummary,
} from './schemas.js'
import { boundSearchText, mayHavePhrase } from './search-text.js'
import { checkOfferSchemas, syncCatalogue, type OfferValidator, type SyncOptions } from './sync.js'
import { isOwner, isVisible } from './visibility.js'
import { assertActsFor, checkReferences, institutionContext, refusalOf, writeOffer } from './writes.js'

export interface WrittenOffer {
  offer: Offer
  etag: string
  created: boolean
  changed: boolean
  events: OfferEvent[]
}

/** How much of the database full-text searches may take (see the SEARCH_* settings). */
/** A published offer as other views of the catalogue (the OOAPI view) read it. */
export interface PublishedOffer {
  id: string
  institution: string
  externalId: string
  content: OfferContent
  updatedAt: Date
}

export interface SearchLimits {
  concurrency: number
  queue: number
  statementTimeoutMs: number
}

/** For the demo seed and scripts, which search little. */
const DEFAULT_SEARCH_LIMITS: SearchLimits = { concurrency: 2, queue: 4, statementTimeoutMs: 2000 }

/**
 * How a search by relevance for this (folded) text ranks. RUM's index orders the matches of a
 * phrase by a distance other than the one the query reads back for each row (the phrase
 * operator's), so pages of a phrase search, which resume from the last distance shown, would
 * skip and repeat matches (825 of 2,000 out of order for `e-learning` in a review's test):
 * a search that may hold a phrase ranks with ts_rank_cd.
 */
function rankingOf(ranking: SearchRanking, folded: string | undefined): SearchRanking {
  return ranking === 'rum' && folded !== undefined && mayHavePhrase(folded) ? 'ts_rank_cd' : ranking
}

const foldedSearchText = (q: string | undefined) => (q === undefined ? undefined : foldText(q).trim())

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** A search's cursor position: [RUM distance, offers of it shown], or [sort key as text, id]. */
function isSearchPosition(position: CursorPosition, byRumDistance: boolean): boolean {
  const [key, next] = position
  if (position.length !== 2) return false
  if (byRumDistance) return typeof key === 'string' && key.trim() !== '' && Number.isFinite(Number(key)) && Number.isSafeInteger(next) && (next as number) > 0
  return (typeof key === 'string' || key === null) && typeof next === 'string' && UUID.test(next)
}

/** By relevance when there is a search text, else in creation order, unless asked otherwise. */
function effectiveSort(sort: OfferSearchQuery['sort'], q: string | undefined) {
  return sort ?? (q === undefined ? 'createdAt' : 'relevance')
}

/** How this database lets searches by relevance rank (read once, at start-up). */
export async function searchRankingOf(db: Database): Promise<RankingChoice> {
  return chooseRanking(await offersRepository.rankingSupport(db))
}

/**
 * Connections of full-text searches' own, which start with the settings a search needs (its
 * statement timeout; by relevance with RUM, the planner's too), so that a search is one round
 * trip instead of four (begin, settings, search, commit). With two shared cores, each round
 * trip waits for PostgreSQL to be scheduled: in alternating runs of the benchmark's scenario 3
 * on a busy two-core machine, 102, 115, 121 pages/s in a transaction, 184, 153, 157 in one
 * round trip (3b, by date: 135, 162, 109 and 188, 169, 169). At most `concurrency` searches run
 * at once, so each pool needs no more connections than that. Undefined on PGlite (one
 * connection): searches set what they need in a transaction.
 */
export interface SearchSessions {
  /** Text searches in any other order (and by relevance with ts_rank_cd). */
  plain: Database
  /** By relevance with RUM. */
  ranked?: Database
}

export function openSearchSessions(handle: Pick<DatabaseHandle, 'sessionWith'>, limits: SearchLimits, ranking: SearchRanking): SearchSessions | undefined {
  // Ranks as text exact whatever a role or pooler set (the cursor compares them back).
  const plainSettings = { statement_timeout: String(limits.statementTimeoutMs), extra_float_digits: '1' }
  const plain = handle.sessionWith(plainSettings, limits.concurrency)
  if (plain === undefined) return undefined
  return { plain, ranked: ranking === 'rum' ? handle.sessionWith({ ...plainSettings, ...RUM_SESSION_SETTINGS }, limits.concurrency) : undefined }
}

/** The catalogue's use cases: publishing, withdrawing, syncing, reading and searching offers. */
export function createCatalogueService(
  db: Database,
  searchLimits: SearchLimits = DEFAULT_SEARCH_LIMITS,
  ranking: SearchRanking = 'ts_rank_cd',
  sessions?: SearchSessions,
) {
  // Full-text searches cost what they match: at most `concurrency` run at once (on their own
  // connections where the database allows, see SearchSessions; else on a part of the pool).
  const searches = new ConcurrencyLimit(searchLimits.concurrency, searchLimits.queue, searchLimits.statementTimeoutMs)
  const searchBusy = () => withHeaders(Errors.searchBusy('Too many searches are running; retry shortly'), { 'retry-after': '1' })

  /** The content, and the co-awarding institutions that confirmed (pending and declined ones are never exported). */
  function exportContentOf(offer: OfferView, content: OfferContent): ExportContent {
    const coAwarding = namedInstitutions(content, offer.institutionSchac).filter((schac) => offer.awardingAnswers?.[schac] === 'confirmed')
    return { institution: offer.institutionSchac, content, coAwarding }
  }

  function publishedOfferOf(offer: OfferView): PublishedOffer {
    return { id: offer.id, institution: offer.institutionSchac, externalId: offer.externalId, content: offer.content, updatedAt: offer.updatedAt }
  }

  async function visibleVersion(viewer: Caller, offer: OfferView, version: number) {
    const row = await offersRepository.findVersion(db, offer.id, version)
    if (!row || (row.publishedAt === null && !isOwner(offer, viewer))) {
      throw Errors.notFound(`Offer ${offer.id} has no version ${version}`)
    }
    return row
  }

  async function visibleOffer(viewer: Caller, find: (db: Executor) => Promise<OfferView | undefined>, what: string) {
    const row = await find(db)
    if (!row || !isVisible(row, viewer)) throw Errors.notFound(`No offer ${what}`)
    return row
  }

  return {
    /** What a search's cursor is bound to: its filters, and for relevance the ranking (a cursor of one means nothing to the other). */
    searchScope(filters: Omit<OfferSearchQuery, 'cursor' | 'limit'>): Record<string, unknown> {
      return effectiveSort(filters.sort, filters.q) === 'relevance' ? { ...filters, ranking: rankingOf(ranking, foldedSearchText(filters.q)) } : filters
    },

    async putOffer(
      { tx, actor, record }: Write,
      schac: string,
      externalId: string,
      input: OfferInput,
      preconditions: Preconditions,
    ): Promise<WrittenOffer> {
      assertActsFor(actor.institution, schac)
      await lockCatalogueShared(tx, schac)
      const context = await institutionContext(tx, schac)
      const prepared = prepareOffer(input, context)
      const references = await checkReferences(tx, [prepared.state.content], context)
      // Checked only if the write changes something: re-sending what is stored always succeeds.
      const refusal = refusalOf(prepared, [...externalIdErrors(externalId, 'path'), ...references.errors[0]!])
      const now = new Date()
      const written = await writeOffer(tx, { schac, externalId, prepared, context, countries: references.countries, refusal }, preconditions, now)
      if (written.changed) {
        record({ at: now, audit: [offerAudit(written.row, 'offer.put', written.events)], changes: offerChanges(written.row, written.events) })
      }
      const view = (await offersRepository.viewById(tx, written.row.id))!
      return { offer: toOffer(view), etag: offerEtag(view), created: written.created, changed: written.changed, events: written.events }
    },

    async withdrawOffer({ tx, actor, record }: Write, schac: string, externalId: string, preconditions: Preconditions): Promise<WrittenOffer> {
      assertActsFor(actor.institution, schac)
      await lockCatalogueShared(tx, schac)
      const current = await offersRepository.findByExternalId(tx, schac, externalId, true)
      if (!current) throw Errors.notFound(`No offer ${externalId} of ${schac}`)
      assertPreconditions(preconditions, offerEtag(current))
      const next = withdrawTransition(current, new Date())
      if (next) {
        const row = await offersRepository.update(tx, current.id, { ...next, now: next.withdrawnAt! }, undefined)
        record({ at: next.withdrawnAt!, audit: [offerAudit(row, 'offer.withdrawn', next.events)], changes: offerChanges(row, next.events) })
      }
      const view = (await offersRepository.viewById(tx, current.id))!
      return { offer: toOffer(view), etag: offerEtag(view), created: false, changed: next !== undefined, events: next?.events ?? [] }
    },

    /** The answer of the key's institution to an offer that names it as awarding body. */
    async answerAwardingRequest(write: Write, offerId: string, schac: string, input: AwardingAnswerInput): Promise<AwardingRequest> {
      return answerAwardingRequest(write, offerId, schac, input.status)
    },

    /** What offers have asked the viewer's institution to co-award (only its own). */
    async listAwardingRequests(viewer: Caller, schac: string, filter: { status?: AwardingAnswer; after: CursorPosition | undefined; limit: number }) {
      assertOwnRequests(viewer.institution, schac)
      return listAwardingRequests(db, schac, filter)
    },

    /** Checks a sync's offers against their schema without stalling the process (before any transaction). */
    async checkSyncOffers(offers: readonly unknown[], validate: OfferValidator) {
      return checkOfferSchemas(offers, validate)
    },

    /** Brings an institution's catalogue in line with its own system, all or nothing. */
    async sync(write: Write, schac: string, request: SyncRequest, options: SyncOptions): Promise<SyncSummary> {
      return syncCatalogue(write, schac, request, options)
    },

    async getByExternalId(viewer: Caller, schac: string, externalId: string): Promise<OfferView> {
      return visibleOffer(viewer, (d) => offersRepository.viewByExternalId(d, schac, externalId), `${externalId} of ${schac}`)
    },

    async getById(viewer: Caller, id: string): Promise<OfferView> {
      return visibleOffer(viewer, (d) => offersRepository.findById(d, id), id)
    },

    async listVersions(viewer: Caller, id: string, after: CursorPosition | undefined, limit: number): Promise<OfferVersion[]> {
      const offer = await visibleOffer(viewer, (d) => offersRepository.findById(d, id), id)
      const rows = await offersRepository.listVersions(db, id, {
        publishedOnly: !isOwner(offer, viewer),
        afterVersion: after?.[0] as number | undefined,
        limit,
      })
      return rows.map((row) => toOfferVersion(offer, row))
    },

    async getVersion(viewer: Caller, id: string, version: number): Promise<OfferVersion> {
      const offer = await visibleOffer(viewer, (d) => offersRepository.findById(d, id), id)
      return toOfferVersion(offer, await visibleVersion(viewer, offer, version))
    },

    /**
     * The published offers of an institution or of an alliance's members, as export contents,
     * read a page at a time (keyset on id), so that an export of any size holds one page.
     */
    async * publishedForExport(scope: ExportScope, pageSize = 500): AsyncGenerator<ExportContent & { id: string }> {
      let after: string | undefined
      for (;;) {
        const page = await offersRepository.publishedPage(db, scope, after, pageSize)
        for (const offer of page) yield { id: offer.id, ...exportContentOf(offer, offer.content) }
        if (page.length < pageSize) return
        after = page[page.length - 1]!.id
      }
    },

    /**
     * `limit` published offers of the whole catalogue, in id order, skipping `offset`: the
     * OOAPI view's courses, paged by number. Drafts and withdrawn offers never appear.
     */
    async publishedAtOffset(offset: number, limit: number): Promise<PublishedOffer[]> {
      return (await offersRepository.publishedAtOffset(db, offset, limit)).map(publishedOfferOf)
    },

    /** One offer if it is published now, else undefined (drafts and withdrawn offers are not told apart from missing ones). */
    async findPublished(id: string): Promise<PublishedOffer | undefined> {
      const offer = await offersRepository.findById(db, id)
      return offer?.status === 'published' ? publishedOfferOf(offer) : undefined
    },

    /**
     * What an export of the offer, or of one of its versions, is made of: its content, and the
     * co-awarding institutions that confirmed (pending and declined ones are never exported).
     */
    async getExportContent(viewer: Caller, id: string, version?: number): Promise<ExportContent> {
      const offer = await visibleOffer(viewer, (d) => offersRepository.findById(d, id), id)
      const content = version === undefined ? offer.content : (await visibleVersion(viewer, offer, version)).content
      return exportContentOf(offer, content)
    },

    /** How ranked search stands: the ranking this process uses, and how far the indexer's copy is behind the offers. */
    async searchIndexStatus(): Promise<SearchIndexStatus> {
      const backlog = await searchIndexRepository.backlog(db)
      return { ranking, pending: backlog.pending, oldestQueuedAt: backlog.oldest?.toISOString() ?? null, lagSeconds: Math.round(backlog.lagSeconds * 1000) / 1000 }
    },

    /** Queues, for the indexer, every offer whose ranking copy is missing, out of date or no longer wanted (operators only). */
    async repairSearchIndex({ tx, record }: Write): Promise<SearchIndexRepair> {
      const queued = await searchIndexRepository.queueStale(tx)
      record({ at: new Date(), audit: [{ action: 'search-index.repair', objectType: 'search-index', objectId: 'offers', details: { queued } }] })
      return { queued }
    },

    async search(query: Omit<OfferSearchQuery, 'cursor'>, after: CursorPosition | undefined) {
      const { q, sort, limit, ...filters } = query
      const folded = foldedSearchText(q)
      const errors: FieldError[] = []
      if (sort === 'relevance' && folded === undefined) {
        errors.push({ in: 'query', pointer: '/sort', detail: 'relevance needs a search text (q)' })
      }
      const unbounded = folded === undefined ? undefined : boundSearchText(folded)
      if (unbounded) errors.push({ in: 'query', pointer: '/q', detail: unbounded })
      if (filters.ectsMin !== undefined && filters.ectsMax !== undefined && filters.ectsMin > filters.ectsMax) {
        errors.push({ in: 'query', pointer: '/ectsMin', detail: 'must not be above ectsMax' })
      }
      const { openNow, startsFrom, startsUntil, mode, hasPlaces, openTo, ...offerFilters } = filters
      if (startsFrom !== undefined && startsUntil !== undefined && startsFrom > startsUntil) {
        errors.push({ in: 'query', pointer: '/startsFrom', detail: 'must not be after startsUntil' })
      }
      if (errors.length > 0) throw withFieldErrors(Errors.validationFailed('The search is contradictory'), errors)
      const runFilter: RunFilter = {
        openOn: openNow ? todayUtc() : undefined,
        startsFrom,
        startsUntil,
        mode,
        hasPlaces,
        openTo: openTo === undefined ? undefined : { schac: openTo, alliances: (await registryLookups.alliancesOf(db, [openTo])).get(openTo) ?? [] },
      }
      const hasRunFilter = Object.values(runFilter).some((value) => value !== undefined)
      const filter = {
        ...offerFilters,
        ...(hasRunFilter ? { run: runFilter } : {}),
        q: folded,
        sort: effectiveSort(sort, folded),
        ranking: rankingOf(ranking, folded),
        after,
        limit,
      }
      if (after !== undefined && !isSearchPosition(after, filter.sort === 'relevance' && filter.ranking === 'rum')) {
        // Signed by this service, but in another release's form (the RUM position was [distance, id]).
        throw Errors.invalidCursor('The cursor was made by another version of the service; search again')
      }
      if (folded === undefined) return offersRepository.search(db, filter)
      const session = filter.sort === 'relevance' && filter.ranking === 'rum' ? sessions?.ranked : sessions?.plain
      return searches.run(async () => {
        try {
          return await (session === undefined
            ? offersRepository.search(db, { ...filter, statementTimeoutMs: searchLimits.statementTimeoutMs })
            : offersRepository.search(session, { ...filter, sessionHasSettings: true }))
        } catch (error) {
          if (pgErrorOf(error)?.code !== '57014') throw error
          throw withHeaders(
            Errors.searchTimeout(`The search took longer than its ${searchLimits.statementTimeoutMs} ms; use more specific words or filters, or sort=createdAt`),
            { 'retry-after': '5' },
          )
        }
      }, searchBusy)
    },
  }
}

export type CatalogueService = ReturnType<typeof createCatalogueService>
export type { OfferValidator }
