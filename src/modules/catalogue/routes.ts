import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { ETAG_HEADER, NOT_MODIFIED, ReadConditionHeaders, WriteConditionHeaders } from '../../plugins/conditional.js'
import { validationFieldErrors, type ValidationIssue } from '../../plugins/problems.js'
import { IdempotencyHeaders } from '../../plugins/writes.js'
import { CURSOR_DESCRIPTION, INT32_MAX, SchacParameter, Uuid, problemResponses, ref } from '../../schemas.js'
import type { OfferView } from './repository.js'
import { toAwardingRequest } from './awarding.js'
import {
  AwardingAnswerInput,
  AwardingRequest,
  AwardingRequestPage,
  AwardingRequestQuery,
  ExternalId,
  MAX_SYNC_OFFERS,
  Offer,
  OfferInput,
  OfferPage,
  OfferSearchQuery,
  OfferVersion,
  OfferVersionPage,
  SyncOffer,
  SyncRequest,
  SyncProblem,
  SyncSummary,
  type SyncRequest as SyncRequestBody,
} from './schemas.js'
import { offerEtag, toOffer } from './mappers.js'
import runsRoutes from './runs-routes.js'
import searchIndexRoutes from './search-index-routes.js'
import { createCatalogueService, openSearchSessions, searchRankingOf, type OfferValidator, type SearchLimits } from './service.js'

const OfferPathParams = Type.Object({ schac: SchacParameter, externalId: ExternalId }, { additionalProperties: false })
const OfferIdParams = Type.Object({ id: Uuid() }, { additionalProperties: false })
const VersionParams = Type.Object(
  { id: Uuid(), version: Type.Integer({ minimum: 1, maximum: INT32_MAX }) },
  { additionalProperties: false },
)
const VersionListQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    cursor: Type.Optional(Type.String({ maxLength: 2000, description: CURSOR_DESCRIPTION })),
  },
  { additionalProperties: false },
)

const SyncParams = Type.Object({ schac: SchacParameter }, { additionalProperties: false })
const InstitutionParams = SyncParams
const AwardingBodyParams = Type.Object({ id: Uuid(), schac: SchacParameter }, { additionalProperties: false })

/**
 * What Fastify validates of a sync's body before the handler: the envelope. The offers are
 * validated against SyncOffer by the handler, a chunk at a time (a body of 10,000 offers full
 * of errors would otherwise block the event loop for seconds); OpenAPI documents SyncRequest.
 */
const SyncEnvelope = Type.Object(
  { mode: SyncRequest.properties.mode, offers: Type.Array(Type.Unknown(), { maxItems: MAX_SYNC_OFFERS }) },
  { additionalProperties: false },
)
const SYNC_OFFER = ref(SyncOffer)
const SyncQuery = Type.Object(
  { dryRun: Type.Boolean({ default: false, description: 'Validate and report what would happen, writing nothing' }) },
  { additionalProperties: false },
)

/**
 * Schema failures inside individual offers are reported per offer with the other checks
 * (422); anything wrong with the envelope itself is an ordinary 400.
 */
function offerValidator(request: FastifyRequest): OfferValidator {
  const validate = request.compileValidationSchema(SYNC_OFFER, 'body')
  return (offer) => (validate(offer) ? undefined : validationFieldErrors((validate.errors ?? []) as ValidationIssue[], 'body'))
}

const offerResponse = (description: string) => ({ ...ref(Offer), description, headers: ETAG_HEADER })

/** Drafts are private to their institution: never stored by a shared cache. */
function privateIfDraft(offer: { status: string }): Record<string, string> {
  return offer.status === 'draft' ? { 'cache-control': 'no-store' } : {}
}

function sendOffer(reply: FastifyReply, row: OfferView) {
  return reply.headers(privateIfDraft(row)).sendTagged(offerEtag(row), toOffer(row))
}

export interface CatalogueRoutesOptions {
  syncBodyLimitBytes: number
  search: SearchLimits
}

const catalogueRoutes: FastifyPluginAsyncTypebox<CatalogueRoutesOptions> = async (app, options) => {
  // Read once: an index created later takes effect at the next start.
  const choice = await searchRankingOf(app.db)
  app.log[choice.level]({ searchRanking: choice.ranking }, choice.message)
  const catalogue = createCatalogueService(app.db, options.search, choice.ranking, openSearchSessions(app.database, options.search, choice.ranking))
  await app.register(runsRoutes)
  await app.register(searchIndexRoutes, { catalogue })

  app.put(
    '/v1/institutions/:schac/offers/:externalId',
    {
      config: { access: 'catalogue:write' },
      schema: {
        operationId: 'putOffer',
        tags: ['offers'],
        summary: 'Create or replace one of your institution\'s offers, by your own id for it',
        description:
          'Publishes by default, which requires every mandatory Annex I element (else 422 OFFER_INCOMPLETE); ' +
          'send `"status": "draft"` to save an incomplete offer. A change of content makes a new version; ' +
          'an identical write changes nothing, and succeeds even when a rule made since would refuse a value it holds ' +
          '(the offer lists such values in `compliance.violations`). The rules: see OfferInput (credits and hours, ' +
          'issuer countries, awarding bodies, stackability) and ExternalId (no id made only of dots).',
        params: OfferPathParams,
        headers: WriteConditionHeaders,
        body: ref(OfferInput),
        response: {
          200: offerResponse('Replaced (or unchanged)'),
          201: offerResponse('Created'),
          ...problemResponses(403, 409, 412, 422),
        },
      },
    },
    async (request, reply) => {
      const { schac, externalId } = request.params
      return reply.sendWrite(
        async (write) => {
          const written = await catalogue.putOffer(write, schac, externalId, request.body, request.preconditions)
          return { status: written.created ? 201 : 200, body: written.offer, etag: written.etag }
        },
        { headers: privateIfDraft },
      )
    },
  )

  app.delete(
    '/v1/institutions/:schac/offers/:externalId',
    {
      config: { access: 'catalogue:write' },
      schema: {
        operationId: 'withdrawOffer',
        tags: ['offers'],
        summary: 'Withdraw one of your institution\'s offers (it stays readable, marked withdrawn)',
        params: OfferPathParams,
        headers: WriteConditionHeaders,
        response: { 200: offerResponse('Withdrawn'), ...problemResponses(403, 404, 412) },
      },
    },
    async (request, reply) => {
      const { schac, externalId } = request.params
      return reply.sendWrite(async (write) => {
        const written = await catalogue.withdrawOffer(write, schac, externalId, request.preconditions)
        return { status: 200, body: written.offer, etag: written.etag }
      })
    },
  )

  app.get(
    '/v1/institutions/:schac/offers/:externalId',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'getOfferByExternalId',
        tags: ['offers'],
        summary: 'Get an offer by its provider\'s id (drafts only for the provider)',
        params: OfferPathParams,
        headers: ReadConditionHeaders,
        response: { 200: offerResponse('The offer'), ...NOT_MODIFIED, ...problemResponses(404) },
      },
    },
    async (request, reply) => {
      const { schac, externalId } = request.params
      return sendOffer(reply, await catalogue.getByExternalId(request.caller, schac, externalId))
    },
  )

  app.get(
    '/v1/institutions/:schac/awarding-requests',
    {
      config: { access: 'catalogue:write' },
      schema: {
        operationId: 'listAwardingRequests',
        tags: ['offers'],
        summary: 'The offers that name your institution as awarding body, and your answers (oldest request first)',
        description:
          'Offers of other institutions that name yours in `awardingBodies`, once they are published. Until your institution ' +
          'confirms (PUT /v1/offers/{id}/awarding-bodies/{schac}), such an offer is listed under its provider alone. ' +
          '`?status=pending` lists what awaits an answer. Only your own institution\'s requests (404 for another\'s).',
        params: InstitutionParams,
        querystring: AwardingRequestQuery,
        response: { 200: ref(AwardingRequestPage), ...problemResponses(404) },
      },
    },
    async (request, reply) => {
      const { cursor, limit, status } = request.query
      const { schac } = request.params
      reply.header('cache-control', 'no-store')
      return app.page({
        request,
        cursor,
        limit,
        scope: { schac, status },
        fetch: (after) => catalogue.listAwardingRequests(request.caller, schac, { status, after, limit }),
        position: (row) => [row.requestedAtText, row.offerId],
        item: toAwardingRequest,
      })
    },
  )

  app.put(
    '/v1/offers/:id/awarding-bodies/:schac',
    {
      config: { access: 'catalogue:write' },
      schema: {
        operationId: 'answerAwardingRequest',
        tags: ['offers'],
        summary: 'Confirm or decline that your institution co-awards an offer naming it',
        description:
          'With your own institution\'s key (the SCHAC code in the path must be your institution\'s, else 403). Once ' +
          'confirmed, the offer is listed with your institution as awarding body and under its country; declined or ' +
          'pending, under its provider alone. The answer may be changed at any time; the same answer again changes ' +
          'nothing. Each change is in your audit trail and, as `awarding_changed`, in the change feed (the offer gets no new ' +
          'version). 404 when the offer does not exist, is not visible to you (a draft), or does not name your institution.',
        params: AwardingBodyParams,
        body: ref(AwardingAnswerInput),
        response: { 200: ref(AwardingRequest), ...problemResponses(403, 404) },
      },
    },
    async (request, reply) => {
      const { id, schac } = request.params
      return reply.sendWrite(async (write) => ({ status: 200, body: await catalogue.answerAwardingRequest(write, id, schac, request.body) }))
    },
  )

  app.post(
    '/v1/institutions/:schac/offers/sync',
    {
      config: {
        access: 'catalogue:write',
        swaggerTransform: ({ schema, url }) => ({ schema: { ...schema, body: ref(SyncRequest) }, url }),
      },
      bodyLimit: options.syncBodyLimitBytes,
      schema: {
        operationId: 'syncOffers',
        tags: ['offers'],
        summary: 'Bring your institution\'s catalogue in line with your own system, all or nothing',
        description:
          '`upsert` creates or updates the offers given; `replace` also withdraws your published offers that are not given. ' +
          'Every offer is checked first: if any is invalid, nothing is written and the 422 lists each invalid offer ' +
          '(`invalidOffers`: index, externalId, errors). Offers whose content and status are unchanged are not touched, ' +
          'and never refused by a rule made after they were written. ' +
          `Up to ${MAX_SYNC_OFFERS} offers; the body limit of this route is SYNC_BODY_LIMIT_BYTES (64 MiB by default). ` +
          'A second sync of the same institution while one runs gets 409 CATALOGUE_BUSY.',
        params: SyncParams,
        querystring: SyncQuery,
        headers: IdempotencyHeaders,
        body: SyncEnvelope,
        response: {
          200: ref(SyncSummary),
          ...problemResponses(403, 409),
          422: { description: 'Invalid offers (nothing written), or an Idempotency-Key reused', content: { 'application/problem+json': { schema: ref(SyncProblem) } } },
        },
      },
    },
    async (request, reply) => {
      const { dryRun } = request.query
      const schemaProblems = await catalogue.checkSyncOffers(request.body.offers, offerValidator(request))
      // Offers that failed their schema are reported, never read as offers.
      const body = request.body as SyncRequestBody
      // A dry run writes nothing, so there is nothing to replay.
      return reply.sendWrite(
        async (write) => ({ status: 200, body: await catalogue.sync(write, request.params.schac, body, { dryRun, schemaProblems }) }),
        { idempotent: !dryRun },
      )
    },
  )

  app.get(
    '/v1/offers',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'searchOffers',
        tags: ['offers'],
        summary: 'Search and filter the published catalogue',
        querystring: OfferSearchQuery,
        response: { 200: ref(OfferPage) },
      },
    },
    async (request) => {
      const { cursor, ...query } = request.query
      const { limit, ...filters } = query
      return app.page({
        request,
        cursor,
        limit,
        scope: catalogue.searchScope(filters),
        fetch: (after) => catalogue.search(query, after),
        position: ({ position }) => position,
        item: ({ row }) => toOffer(row),
      })
    },
  )

  app.get(
    '/v1/offers/:id',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'getOffer',
        tags: ['offers'],
        summary: 'Get an offer (withdrawn ones too, marked so; drafts only for the provider)',
        params: OfferIdParams,
        headers: ReadConditionHeaders,
        response: { 200: offerResponse('The offer'), ...NOT_MODIFIED, ...problemResponses(404) },
      },
    },
    async (request, reply) => sendOffer(reply, await catalogue.getById(request.caller, request.params.id)),
  )

  app.get(
    '/v1/offers/:id/versions',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'listOfferVersions',
        tags: ['offers'],
        summary: 'List the versions of an offer, oldest first (draft versions only for the provider)',
        params: OfferIdParams,
        querystring: VersionListQuery,
        response: { 200: ref(OfferVersionPage), ...problemResponses(404) },
      },
    },
    async (request) => {
      const { cursor, limit } = request.query
      return app.page({
        request,
        cursor,
        limit,
        scope: { offer: request.params.id },
        fetch: (after) => catalogue.listVersions(request.caller, request.params.id, after, limit),
        position: (version) => [version.version],
        item: (version) => version,
      })
    },
  )

  app.get(
    '/v1/offers/:id/versions/:version',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'getOfferVersion',
        tags: ['offers'],
        summary: 'Get one version of an offer exactly as it was',
        params: VersionParams,
        response: { 200: ref(OfferVersion), ...problemResponses(404) },
      },
    },
    async (request) => catalogue.getVersion(request.caller, request.params.id, request.params.version),
  )
}

export default catalogueRoutes
