import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply } from 'fastify'
import { Type } from 'typebox'
import { Errors } from '../../errors.js'
import { IdempotencyHeaders } from '../../plugins/writes.js'
import { SchacParameter, Uuid, problemResponses, ref } from '../../schemas.js'
import {
  Decision,
  DecisionHistory,
  DecisionInput,
  DecisionListQuery,
  DecisionPage,
  OfferRecognition,
  OfferRecognitionQuery,
  OverduePage,
  OverdueQuery,
  RecognitionSettings,
  RecognitionSettingsInput,
  RecognitionStatus,
  RecognitionStatusInput,
  RevokeInput,
} from './schemas.js'
import { createRecognitionService, toDecision, toOverdue, viewerOf } from './service.js'

const IdParams = Type.Object({ id: Uuid() }, { additionalProperties: false })
const InstitutionParams = Type.Object({ schac: SchacParameter }, { additionalProperties: false })

/** Responses that may hold individual decisions are never stored by a shared cache. */
function privateIf(reply: FastifyReply, condition: boolean): void {
  if (condition) reply.header('cache-control', 'no-store')
}

/** The same rule for a written decision, as response headers (replays included). */
function privateHeaders(decision: Decision): Record<string, string> {
  return decision.scope === 'individual' ? { 'cache-control': 'no-store' } : {}
}

const recognitionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const recognition = createRecognitionService(app.db)

  app.post(
    '/v1/recognitions',
    {
      config: { access: 'recognition:write' },
      schema: {
        operationId: 'recordDecision',
        tags: ['recognition'],
        summary: 'Record how your institution recognises an offer (ex ante, or for one learner)',
        description:
          'The recognising institution is the key\'s. Every broken rule is listed at once (422 INVALID_DECISION, ' +
          'each error with its rule `code`). A second decision for the same offer, scope, learner and purpose ' +
          'must supersede the one in force (else 409 DECISION_IN_FORCE, naming it in `decisionInForce`).',
        headers: IdempotencyHeaders,
        body: ref(DecisionInput),
        response: { 201: ref(Decision), ...problemResponses(403, 409, 422) },
      },
    },
    async (request, reply) => {
      return reply.sendWrite(async (write) => ({ status: 201, body: await recognition.decide(write, request.body) }), {
        headers: privateHeaders,
      })
    },
  )

  app.post(
    '/v1/recognitions/:id/revoke',
    {
      config: { access: 'recognition:write' },
      schema: {
        operationId: 'revokeDecision',
        tags: ['recognition'],
        summary: 'Revoke a decision in force (by the institution that decided it)',
        params: IdParams,
        headers: IdempotencyHeaders,
        body: ref(RevokeInput),
        response: { 200: ref(Decision), ...problemResponses(403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      return reply.sendWrite(
        async (write) => ({ status: 200, body: await recognition.revoke(write, request.caller, request.params.id, request.body.reason) }),
        { headers: privateHeaders },
      )
    },
  )

  app.post(
    '/v1/recognitions/status',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'recognitionStatus',
        tags: ['recognition'],
        summary: 'The registrar\'s view of up to 500 offers at once: ex-ante decisions in force (now, or `at` a moment)',
        body: ref(RecognitionStatusInput),
        response: { 200: ref(RecognitionStatus) },
      },
    },
    async (request) => ({
      items: await recognition.offerRecognition(request.caller, request.body.offers, { institution: request.body.institution, at: request.body.at }),
    }),
  )

  app.get(
    '/v1/recognitions',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'listDecisions',
        tags: ['recognition'],
        summary: 'List decisions (individual ones only for the two institutions with recognition:read, and for the deciding one with recognition:write)',
        querystring: DecisionListQuery,
        // 403: filtering by learnerRef without recognition:read.
        response: { 200: ref(DecisionPage), ...problemResponses(403) },
      },
    },
    async (request, reply) => {
      const { cursor, limit, ...filters } = request.query
      const { caller } = request
      const viewer = viewerOf(caller)
      // Statuses are judged at `at`, or now.
      const at = filters.at === undefined ? new Date() : new Date(filters.at)
      const page = await app.page({
        request,
        cursor,
        limit,
        // The cursor is bound to the filters and to who asked, so it cannot widen visibility.
        scope: { ...filters, viewer },
        fetch: (after) => recognition.list(caller, filters, after, limit),
        position: (row) => [row.createdAtText, row.id],
        item: (row) => toDecision(row, at),
      })
      privateIf(reply, viewer.reader !== null || viewer.writer !== null)
      return page
    },
  )

  app.get(
    '/v1/recognitions/:id',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'getDecision',
        tags: ['recognition'],
        summary: 'Get a decision',
        params: IdParams,
        response: { 200: ref(Decision), ...problemResponses(404) },
      },
    },
    async (request, reply) => {
      const decision = await recognition.get(request.caller, request.params.id)
      privateIf(reply, decision.scope === 'individual')
      return decision
    },
  )

  app.get(
    '/v1/recognitions/:id/history',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'getDecisionHistory',
        tags: ['recognition'],
        summary: 'The supersession chain a decision belongs to, oldest first',
        params: IdParams,
        response: { 200: ref(DecisionHistory), ...problemResponses(404) },
      },
    },
    async (request, reply) => {
      const items = await recognition.history(request.caller, request.params.id)
      privateIf(reply, items[0]?.scope === 'individual')
      return { items }
    },
  )

  app.get(
    '/v1/institutions/:schac/recognition-settings',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'getRecognitionSettings',
        tags: ['recognition'],
        summary: 'An institution\'s published recognition settings: its time limit for individual decisions',
        params: InstitutionParams,
        response: { 200: ref(RecognitionSettings), ...problemResponses(404) },
      },
    },
    async (request) => recognition.settings(request.params.schac),
  )

  app.put(
    '/v1/institutions/:schac/recognition-settings',
    {
      config: { access: 'recognition:write' },
      schema: {
        operationId: 'putRecognitionSettings',
        tags: ['recognition'],
        summary: 'Set your institution\'s time limit for individual decisions, counted from the complete application',
        params: InstitutionParams,
        body: ref(RecognitionSettingsInput),
        response: { 200: ref(RecognitionSettings), ...problemResponses(403, 422) },
      },
    },
    async (request, reply) =>
      reply.sendWrite(async (write) => ({ status: 200, body: await recognition.putSettings(write, request.params.schac, request.body.decisionTimeLimit) })),
  )

  app.get(
    '/v1/recognitions/overdue',
    {
      config: { access: 'authenticated' },
      schema: {
        operationId: 'listOverdueDecisions',
        tags: ['recognition'],
        summary: 'Your institution\'s individual decisions taken after its time limit, and how many there are',
        description: 'Needs recognition:write or recognition:read. A decision counts when it states applicationCompleteOn and was taken after that day plus the institution\'s decisionTimeLimit.',
        querystring: OverdueQuery,
        response: { 200: ref(OverduePage), ...problemResponses(403) },
      },
    },
    async (request, reply) => {
      const { cursor, limit } = request.query
      let found: Awaited<ReturnType<typeof recognition.overdue>> | undefined
      const listed = await app.page({
        request,
        cursor,
        limit,
        scope: { institution: request.caller.institution },
        fetch: async (after) => {
          found = await recognition.overdue(request.caller, after, limit)
          return found.rows
        },
        position: (row) => [row.decidedAtText, row.id],
        item: toOverdue,
      })
      reply.header('cache-control', 'no-store')
      return { timeLimit: found!.timeLimit, count: found!.count, ...listed }
    },
  )

  app.get(
    '/v1/offers/:id/recognition',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'getOfferRecognition',
        tags: ['recognition'],
        summary: 'Who recognises this offer, how, on which version, and whether it changed since (now, or `at` a moment)',
        params: IdParams,
        querystring: OfferRecognitionQuery,
        response: { 200: ref(OfferRecognition), ...problemResponses(404) },
      },
    },
    async (request) => {
      const [view] = await recognition.offerRecognition(request.caller, [request.params.id], { at: request.query.at })
      if (!view?.found) throw Errors.notFound(`No offer ${request.params.id}`)
      return view
    },
  )
}

export default recognitionRoutes
