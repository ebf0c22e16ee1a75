import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import type { ExportConfig } from '../../config.js'
import { INT32_MAX, Uuid, problemResponses } from '../../schemas.js'
import { elmLearningOpportunity } from './elm.js'
import { ob3Achievement } from './ob3.js'
import { ElmDocument, Ob3Document } from './schemas.js'
import { createExportService } from './service.js'

export interface ExportRoutesOptions {
  config: ExportConfig
}

const OfferIdParams = Type.Object({ id: Uuid() }, { additionalProperties: false })
const VersionParams = Type.Object({ id: Uuid(), version: Type.Integer({ minimum: 1, maximum: INT32_MAX }) }, { additionalProperties: false })
const JSON_LD = 'application/ld+json'

const documentResponse = (description: string, schema: object) => ({ description, content: { [JSON_LD]: { schema } } })

/**
 * Exports of one offer, as sub-resources of the offer: ELM JSON-LD (Europass, European Digital
 * Credentials) of the offer or of one version, and an Open Badges 3.0 Achievement. Read like
 * the offer itself (public once published; drafts only for the provider).
 */
const exportRoutes: FastifyPluginAsyncTypebox<ExportRoutesOptions> = async (app, { config }) => {
  const exports = createExportService(app.db)
  /** PUBLIC_BASE_URL, or where this request came in (a development server). */
  const baseUrl = (request: FastifyRequest) => config.publicBaseUrl ?? `${request.protocol}://${request.host}`
  const NOT_READY = problemResponses(404, 422)

  app.get(
    '/v1/offers/:id/elm',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'exportOfferElm',
        tags: ['exports'],
        summary: 'The offer as an ELM JSON-LD LearningOpportunity (422 EXPORT_NOT_READY lists what it lacks)',
        params: OfferIdParams,
        response: { 200: documentResponse('ELM JSON-LD', ElmDocument), ...NOT_READY },
      },
    },
    async (request, reply) => {
      const source = await exports.source(request.caller, 'elm', baseUrl(request), request.params.id)
      return reply.type(JSON_LD).send(elmLearningOpportunity(source, config.elmVersion))
    },
  )

  app.get(
    '/v1/offers/:id/versions/:version/elm',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'exportOfferVersionElm',
        tags: ['exports'],
        summary: 'One version of the offer as an ELM JSON-LD LearningOpportunity',
        params: VersionParams,
        response: { 200: documentResponse('ELM JSON-LD', ElmDocument), ...NOT_READY },
      },
    },
    async (request, reply) => {
      const source = await exports.source(request.caller, 'elm', baseUrl(request), request.params.id, request.params.version)
      return reply.type(JSON_LD).send(elmLearningOpportunity(source, config.elmVersion))
    },
  )

  app.get(
    '/v1/offers/:id/ob3',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'exportOfferOb3',
        tags: ['exports'],
        summary: 'The offer as an Open Badges 3.0 Achievement',
        params: OfferIdParams,
        response: { 200: documentResponse('Open Badges 3.0 JSON-LD', Ob3Document), ...NOT_READY },
      },
    },
    async (request, reply) => {
      const source = await exports.source(request.caller, 'ob3', baseUrl(request), request.params.id)
      return reply.type(JSON_LD).send(ob3Achievement(source))
    },
  )
}

export default exportRoutes
