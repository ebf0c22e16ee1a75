import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Readable } from 'node:stream'
import { Type } from 'typebox'
import type { ExportConfig } from '../../config.js'
import type { ExportScope } from '../catalogue/index.js'
import { INT32_MAX, SCHAC_PATTERN, Uuid, problemResponses } from '../../schemas.js'
import { AllianceSlug } from '../registry/index.js'
import { elmLearningOpportunity } from './elm.js'
import { ob3Achievement } from './ob3.js'
import { ElmDocument, Ob3Document } from './schemas.js'
import { DATASET_FORMATS, createExportService, type DatasetFormat } from './service.js'

export interface ExportRoutesOptions {
  config: ExportConfig
}

const OfferIdParams = Type.Object({ id: Uuid() }, { additionalProperties: false })
const VersionParams = Type.Object({ id: Uuid(), version: Type.Integer({ minimum: 1, maximum: INT32_MAX }) }, { additionalProperties: false })
const JSON_LD = 'application/ld+json'
const XML = 'application/xml'

const DatasetFormatParameter = Type.Enum(DATASET_FORMATS, {
  description: 'elm: one ELM JSON-LD dataset (application/ld+json); ob3: a JSON array of Open Badges 3.0 Achievements (application/ld+json); ' +
    'loq-xml: the LOQ XML document the Qualification Dataset Register verifies against loq.xsd (application/xml)',
  examples: ['elm'],
})
const InstitutionDatasetParams = Type.Object(
  { schac: Type.String({ pattern: SCHAC_PATTERN, maxLength: 253, description: 'SCHAC code of the institution', examples: ['unibo.it'] }), format: DatasetFormatParameter },
  { additionalProperties: false },
)
const AllianceDatasetParams = Type.Object(
  { slug: Type.String({ ...AllianceSlug, examples: ['una-europa'] }), format: DatasetFormatParameter },
  { additionalProperties: false },
)
const MEDIA_TYPES: Record<DatasetFormat, string> = { elm: JSON_LD, ob3: JSON_LD, 'loq-xml': XML }
const OMITTED_HEADER = 'passerelle-omitted'
const datasetResponse = {
  description:
    'The whole published catalogue, streamed as it is read (drafts and withdrawn offers never appear). Offers that do not state what ' +
    'the format needs are left out and counted in the Passerelle-Omitted header (each offer\'s exportReadiness says what it lacks).',
  headers: { 'Passerelle-Omitted': { type: 'integer', minimum: 0, description: 'Published offers left out because they are not ready for the format, counted when the response starts' } },
  content: {
    [JSON_LD]: {
      schema: Type.Union([
        Type.Object(
          { '@context': Type.Unknown({ description: 'The ELM JSON-LD context, once for the dataset' }), '@graph': Type.Array(ElmDocument, { description: 'Each learning opportunity, without its own context' }) },
          { description: 'format=elm: one ELM JSON-LD dataset, valid against the ELM LOQ SHACL shapes' },
        ),
        Type.Array(Ob3Document, { description: 'format=ob3: the Open Badges 3.0 Achievements, each a complete document with its context' }),
      ]),
    },
    [XML]: { schema: Type.String({ format: 'binary', description: 'format=loq-xml: a LOQ XML <Courses> document, valid against loq.xsd' }) },
  },
}

const documentResponse = (description: string, schema: object) => ({ description, content: { [JSON_LD]: { schema } } })

/**
 * Exports of one offer, as sub-resources of the offer: ELM JSON-LD (Europass, European Digital
 * Credentials) of the offer or of one version, and an Open Badges 3.0 Achievement. Read like
 * the offer itself (public once published; drafts only for the provider). And an institution's
 * or an alliance's whole published catalogue, public data for everyone alike, streamed.
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

  /** An institution's or an alliance's published catalogue as one document in the format, streamed. */
  const dataset = async (request: FastifyRequest, reply: FastifyReply, scope: ExportScope, format: DatasetFormat) => {
    const omitted = await exports.datasetOmissions(scope, format)
    const chunks = exports.dataset(scope, format, { baseUrl: baseUrl(request), elmVersion: config.elmVersion })
    return reply.type(MEDIA_TYPES[format]).header(OMITTED_HEADER, omitted).send(Readable.from(chunks))
  }

  app.get(
    '/v1/institutions/:schac/exports/:format',
    {
      // A HEAD would read the whole catalogue only to drop it: GET only.
      exposeHeadRoute: false,
      config: { access: 'public' },
      schema: {
        operationId: 'exportInstitutionDataset',
        tags: ['exports'],
        summary: "The institution's whole published catalogue as one ELM dataset, OB3 array or LOQ XML document, streamed",
        params: InstitutionDatasetParams,
        response: { 200: datasetResponse, ...problemResponses(404) },
      },
    },
    async (request, reply) => dataset(request, reply, { institution: request.params.schac }, request.params.format),
  )

  app.get(
    '/v1/alliances/:slug/exports/:format',
    {
      // A HEAD would read the whole catalogue only to drop it: GET only.
      exposeHeadRoute: false,
      config: { access: 'public' },
      schema: {
        operationId: 'exportAllianceDataset',
        tags: ['exports'],
        summary: "The alliance's whole published catalogue (its members' offers shared with it) as one ELM dataset, OB3 array or LOQ XML document, streamed",
        params: AllianceDatasetParams,
        response: { 200: datasetResponse, ...problemResponses(404) },
      },
    },
    async (request, reply) => dataset(request, reply, { alliance: request.params.slug }, request.params.format),
  )
}

export default exportRoutes
