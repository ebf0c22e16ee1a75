import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ETAG_HEADER, NOT_MODIFIED, ReadConditionHeaders, WriteConditionHeaders } from '../../plugins/conditional.js'
import { PageQuery, SchacParameter, Uuid, problemResponses, ref } from '../../schemas.js'
import { createRunsService, isPublicOffer, runEtag, toRun } from './runs.js'
import { todayUtc } from './runs-rules.js'
import { Run, RunId, RunInput, RunPage } from './runs-schemas.js'
import { ExternalId } from './schemas.js'

const RunPathParams = Type.Object({ schac: SchacParameter, externalId: ExternalId, runId: RunId }, { additionalProperties: false })
const OfferRunParams = Type.Object({ id: Uuid(), runId: RunId }, { additionalProperties: false })
const OfferIdParams = Type.Object({ id: Uuid() }, { additionalProperties: false })
const RunListQuery = Type.Object(PageQuery, { additionalProperties: false })

const runResponse = (description: string) => ({ ...ref(Run), description, headers: ETAG_HEADER })

/** Runs of a draft are private to its institution: never stored by a shared cache. */
const NO_STORE = { 'cache-control': 'no-store' }
const privacyHeaders = (isPrivate: boolean): Record<string, string> => (isPrivate ? NO_STORE : {})

const runsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const runs = createRunsService(app.db)

  app.put(
    '/v1/institutions/:schac/offers/:externalId/runs/:runId',
    {
      config: { access: 'catalogue:write' },
      schema: {
        operationId: 'putRun',
        tags: ['runs'],
        summary: 'Create or replace a run of one of your institution\'s offers, by your own id for the run',
        description:
          'A run says when and where the offer takes place, who may enrol and at what fee. It is not part of the offer\'s ' +
          'content: writing it makes no new offer version and leaves the offer\'s ETag alone; the run has its own ETag ' +
          '(If-Match, If-None-Match: * as for offers). Each change appears in the change feed as a `run` entry. ' +
          'Every rule broken is listed (422 INVALID_RUN, each error with its code and JSON Pointer); runs of a withdrawn ' +
          'offer can be deleted, not written (409 OFFER_WITHDRAWN). An identical write changes nothing.',
        params: RunPathParams,
        headers: WriteConditionHeaders,
        body: ref(RunInput),
        response: {
          200: runResponse('Replaced (or unchanged)'),
          201: runResponse('Created'),
          ...problemResponses(403, 404, 409, 412, 422),
        },
      },
    },
    async (request, reply) => {
      const { schac, externalId, runId } = request.params
      let isPrivate = false
      return reply.sendWrite(
        async (write) => {
          const written = await runs.putRun(write, schac, externalId, runId, request.body, request.preconditions)
          isPrivate = written.isPrivate
          return { status: written.created ? 201 : 200, body: written.run, etag: written.etag }
        },
        { headers: () => privacyHeaders(isPrivate) },
      )
    },
  )

  app.delete(
    '/v1/institutions/:schac/offers/:externalId/runs/:runId',
    {
      config: { access: 'catalogue:write' },
      schema: {
        operationId: 'deleteRun',
        tags: ['runs'],
        summary: 'Delete a run of one of your institution\'s offers',
        description: 'The run is gone (404 after); the change feed records it as `deleted`. If-Match with the run\'s ETag makes it conditional.',
        params: RunPathParams,
        headers: WriteConditionHeaders,
        response: { 204: { description: 'Deleted', type: 'null' }, ...problemResponses(403, 404, 412) },
      },
    },
    async (request, reply) => {
      const { schac, externalId, runId } = request.params
      return reply.sendWrite(async (write) => {
        await runs.deleteRun(write, schac, externalId, runId, request.preconditions)
        return { status: 204, body: null }
      })
    },
  )

  app.get(
    '/v1/offers/:id/runs',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'listRuns',
        tags: ['runs'],
        summary: 'List the runs of an offer, by start date (runs of a draft only for its provider)',
        params: OfferIdParams,
        querystring: RunListQuery,
        response: { 200: ref(RunPage), ...problemResponses(404) },
      },
    },
    async (request, reply) => {
      const { cursor, limit } = request.query
      const today = todayUtc()
      return app.page({
        request,
        cursor,
        limit,
        scope: { offer: request.params.id },
        fetch: async (after) => {
          const { offer, rows } = await runs.listRuns(request.caller, request.params.id, after as [string, string] | undefined, limit)
          if (!isPublicOffer(offer)) reply.headers(NO_STORE)
          return rows
        },
        position: (row) => [row.startDate, row.id],
        item: (row) => toRun(row, today),
      })
    },
  )

  app.get(
    '/v1/offers/:id/runs/:runId',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'getRun',
        tags: ['runs'],
        summary: 'Get a run of an offer by its provider\'s run id',
        params: OfferRunParams,
        headers: ReadConditionHeaders,
        response: { 200: runResponse('The run'), ...NOT_MODIFIED, ...problemResponses(404) },
      },
    },
    async (request, reply) => {
      const { offer, row } = await runs.getRun(request.caller, request.params.id, request.params.runId)
      return reply.headers(privacyHeaders(!isPublicOffer(offer))).sendTagged(runEtag(row), toRun(row, todayUtc()))
    },
  )

  app.get(
    '/v1/runs/:id',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'getRunById',
        tags: ['runs'],
        summary: 'Get a run by the service\'s id for it (where `run` entries of the change feed and webhooks point)',
        params: OfferIdParams,
        headers: ReadConditionHeaders,
        response: { 200: runResponse('The run'), ...NOT_MODIFIED, ...problemResponses(404) },
      },
    },
    async (request, reply) => {
      const { offer, row } = await runs.getRunById(request.caller, request.params.id)
      return reply.headers(privacyHeaders(!isPublicOffer(offer))).sendTagged(runEtag(row), toRun(row, todayUtc()))
    },
  )
}

export default runsRoutes
