import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type, type TSchema } from 'typebox'
import { Errors } from '../../errors.js'
import { ETAG_HEADER, NOT_MODIFIED, ReadConditionHeaders, WriteConditionHeaders } from '../../plugins/conditional.js'
import { SchacParameter, problemResponses, ref } from '../../schemas.js'
import {
  Alliance,
  AllianceInput,
  AllianceListQuery,
  AlliancePage,
  AlliancePatch,
  AllianceSlug,
  Institution,
  InstitutionInput,
  InstitutionListQuery,
  InstitutionPage,
  InstitutionPatch,
} from './schemas.js'
import { createRegistryService, type InstitutionReferences, type MembershipFollowers } from './service.js'

const SchacParams = Type.Object({ schac: SchacParameter }, { additionalProperties: false })
const SlugParams = Type.Object({ slug: AllianceSlug }, { additionalProperties: false })
const MemberParams = Type.Object({ slug: AllianceSlug, schac: SchacParameter }, { additionalProperties: false })

export const MERGE_PATCH = 'application/merge-patch+json'

/** A PATCH body is a JSON Merge Patch (RFC 7396), sent as such: plain JSON would say nothing of how to apply it. */
async function mergePatchOnly(request: FastifyRequest): Promise<void> {
  if (request.headers['content-type']?.split(';')[0]?.trim().toLowerCase() !== MERGE_PATCH) {
    throw Errors.unsupportedMediaType(`Send the patch as ${MERGE_PATCH} (RFC 7396)`)
  }
}

/** The body of a PATCH route: a merge patch of the given schema. */
function mergePatchBody(schema: TSchema & { $id?: string }) {
  return { content: { [MERGE_PATCH]: { schema: ref(schema) } } }
}

const PATCH_DESCRIPTION =
  'A JSON Merge Patch (RFC 7396, `Content-Type: application/merge-patch+json`): the fields given replace the current ones, ' +
  '`null` removes an optional one, and the others are kept. Needs `If-Match` with the ETag you last read ' +
  '(428 without it, 412 when the resource has changed since), since a patch replaces arrays whole.'

export interface RegistryRoutesOptions {
  /** What other modules keep of an institution, which blocks its deletion. */
  references: InstitutionReferences
  /** What other modules derive from alliance memberships, updated when they change. */
  followers: MembershipFollowers
}

const registryRoutes: FastifyPluginAsyncTypebox<RegistryRoutesOptions> = async (app, options) => {
  const registry = createRegistryService(app.db, options.references, options.followers)

  app.get(
    '/v1/institutions',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'listInstitutions',
        tags: ['institutions'],
        summary: 'List institutions, optionally by alliance or country',
        querystring: InstitutionListQuery,
        response: { 200: ref(InstitutionPage) },
      },
    },
    async (request) => {
      const { cursor, limit, ...filters } = request.query
      return app.page({
        request,
        cursor,
        limit,
        scope: filters,
        fetch: (after) => registry.listInstitutions({ ...filters, after, limit }),
        position: (institution) => [institution.schac],
        item: (institution) => institution,
      })
    },
  )

  app.get(
    '/v1/institutions/:schac',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'getInstitution',
        tags: ['institutions'],
        summary: 'Get an institution by SCHAC code',
        params: SchacParams,
        headers: ReadConditionHeaders,
        response: { 200: { ...ref(Institution), description: 'The institution', headers: ETAG_HEADER }, ...NOT_MODIFIED, ...problemResponses(404) },
      },
    },
    async (request, reply) => {
      const found = await registry.getInstitution(request.params.schac)
      if (!found) throw Errors.notFound(`No institution ${request.params.schac}`)
      return reply.sendTagged(found.etag, found.resource)
    },
  )

  app.put(
    '/v1/institutions/:schac',
    {
      config: { access: 'registry:admin' },
      schema: {
        operationId: 'putInstitution',
        tags: ['institutions'],
        summary: 'Register an institution or replace its details',
        params: SchacParams,
        headers: WriteConditionHeaders,
        body: ref(InstitutionInput),
        response: {
          200: { ...ref(Institution), description: 'Replaced (or unchanged)', headers: ETAG_HEADER },
          201: { ...ref(Institution), description: 'Registered', headers: ETAG_HEADER },
          ...problemResponses(409, 412),
        },
      },
    },
    async (request, reply) => {
      return reply.sendWrite(async (write) => {
        const written = await registry.putInstitution(write, request.params.schac, request.body, request.preconditions)
        return { status: written.created ? 201 : 200, body: written.resource, etag: written.etag }
      })
    },
  )

  app.patch(
    '/v1/institutions/:schac',
    {
      config: { access: 'registry:admin' },
      preValidation: mergePatchOnly,
      schema: {
        operationId: 'patchInstitution',
        tags: ['institutions'],
        summary: 'Change some of an institution\'s details',
        description: PATCH_DESCRIPTION,
        params: SchacParams,
        headers: WriteConditionHeaders,
        body: mergePatchBody(InstitutionPatch),
        response: {
          200: { ...ref(Institution), description: 'Changed (or unchanged)', headers: ETAG_HEADER },
          ...problemResponses(404, 409, 412, 422, 428),
        },
      },
    },
    async (request, reply) => {
      return reply.sendWrite(async (write) => {
        const written = await registry.patchInstitution(write, request.params.schac, request.body as InstitutionPatch, request.preconditions)
        return { status: 200, body: written.resource, etag: written.etag }
      })
    },
  )

  app.delete(
    '/v1/institutions/:schac',
    {
      config: { access: 'registry:admin' },
      schema: {
        operationId: 'deleteInstitution',
        tags: ['institutions'],
        summary: 'Remove an institution that nothing refers to',
        description:
          'Refused with 409 RESOURCE_IN_USE while the institution has API clients (revoked ones included) or offers, ' +
          'which are kept for the record, or is a member of an alliance; the problem counts them in `clients` and ' +
          '`offers` and names the alliances in `alliances`. Remove it from its alliances first.',
        params: SchacParams,
        headers: WriteConditionHeaders,
        response: { 204: { description: 'Removed', type: 'null' }, ...problemResponses(404, 409, 412) },
      },
    },
    async (request, reply) => {
      return reply.sendWrite(async (write) => {
        await registry.deleteInstitution(write, request.params.schac, request.preconditions)
        return { status: 204, body: null }
      })
    },
  )

  app.get(
    '/v1/alliances',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'listAlliances',
        tags: ['alliances'],
        summary: 'List alliances, optionally those an institution belongs to',
        querystring: AllianceListQuery,
        response: { 200: ref(AlliancePage) },
      },
    },
    async (request) => {
      const { cursor, limit, ...filters } = request.query
      return app.page({
        request,
        cursor,
        limit,
        scope: filters,
        fetch: (after) => registry.listAlliances({ ...filters, after, limit }),
        position: (alliance) => [alliance.slug],
        item: (alliance) => alliance,
      })
    },
  )

  app.get(
    '/v1/alliances/:slug',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'getAlliance',
        tags: ['alliances'],
        summary: 'Get an alliance and its members',
        params: SlugParams,
        headers: ReadConditionHeaders,
        response: { 200: { ...ref(Alliance), description: 'The alliance', headers: ETAG_HEADER }, ...NOT_MODIFIED, ...problemResponses(404) },
      },
    },
    async (request, reply) => {
      const found = await registry.getAlliance(request.params.slug)
      if (!found) throw Errors.notFound(`No alliance ${request.params.slug}`)
      return reply.sendTagged(found.etag, found.resource)
    },
  )

  app.put(
    '/v1/alliances/:slug',
    {
      config: { access: 'registry:admin' },
      schema: {
        operationId: 'putAlliance',
        tags: ['alliances'],
        summary: 'Create an alliance or replace its details and members',
        params: SlugParams,
        headers: WriteConditionHeaders,
        body: ref(AllianceInput),
        response: {
          200: { ...ref(Alliance), description: 'Replaced (or unchanged)', headers: ETAG_HEADER },
          201: { ...ref(Alliance), description: 'Created', headers: ETAG_HEADER },
          ...problemResponses(409, 412, 422),
        },
      },
    },
    async (request, reply) => {
      return reply.sendWrite(async (write) => {
        const written = await registry.putAlliance(write, request.params.slug, request.body, request.preconditions)
        return { status: written.created ? 201 : 200, body: written.resource, etag: written.etag }
      })
    },
  )

  app.patch(
    '/v1/alliances/:slug',
    {
      config: { access: 'registry:admin' },
      preValidation: mergePatchOnly,
      schema: {
        operationId: 'patchAlliance',
        tags: ['alliances'],
        summary: 'Change some of an alliance\'s details',
        description: PATCH_DESCRIPTION,
        params: SlugParams,
        headers: WriteConditionHeaders,
        body: mergePatchBody(AlliancePatch),
        response: {
          200: { ...ref(Alliance), description: 'Changed (or unchanged)', headers: ETAG_HEADER },
          ...problemResponses(404, 409, 412, 422, 428),
        },
      },
    },
    async (request, reply) => {
      return reply.sendWrite(async (write) => {
        const written = await registry.patchAlliance(write, request.params.slug, request.body as AlliancePatch, request.preconditions)
        return { status: 200, body: written.resource, etag: written.etag }
      })
    },
  )

  app.put(
    '/v1/alliances/:slug/members/:schac',
    {
      config: { access: 'registry:admin' },
      schema: {
        operationId: 'addAllianceMember',
        tags: ['alliances'],
        summary: 'Add one member to an alliance (the others are kept)',
        description: 'Adding a member already there changes nothing. `If-Match` (the alliance\'s ETag) is optional.',
        params: MemberParams,
        headers: WriteConditionHeaders,
        response: {
          200: { ...ref(Alliance), description: 'The alliance with the member', headers: ETAG_HEADER },
          ...problemResponses(404, 409, 412, 422),
        },
      },
    },
    async (request, reply) => {
      return reply.sendWrite(async (write) => {
        const written = await registry.addMember(write, request.params.slug, request.params.schac, request.preconditions)
        return { status: 200, body: written.resource, etag: written.etag }
      })
    },
  )

  app.delete(
    '/v1/alliances/:slug/members/:schac',
    {
      config: { access: 'registry:admin' },
      schema: {
        operationId: 'removeAllianceMember',
        tags: ['alliances'],
        summary: 'Remove one member from an alliance (the others are kept)',
        description: '404 when the institution is not a member. `If-Match` (the alliance\'s ETag) is optional.',
        params: MemberParams,
        headers: WriteConditionHeaders,
        response: {
          200: { ...ref(Alliance), description: 'The alliance without the member', headers: ETAG_HEADER },
          ...problemResponses(404, 412),
        },
      },
    },
    async (request, reply) => {
      return reply.sendWrite(async (write) => {
        const written = await registry.removeMember(write, request.params.slug, request.params.schac, request.preconditions)
        return { status: 200, body: written.resource, etag: written.etag }
      })
    },
  )

  app.delete(
    '/v1/alliances/:slug',
    {
      config: { access: 'registry:admin' },
      schema: {
        operationId: 'deleteAlliance',
        tags: ['alliances'],
        summary: 'Remove an alliance (its institutions stay registered)',
        params: SlugParams,
        headers: WriteConditionHeaders,
        response: { 204: { description: 'Removed', type: 'null' }, ...problemResponses(404, 412) },
      },
    },
    async (request, reply) => {
      return reply.sendWrite(async (write) => {
        await registry.deleteAlliance(write, request.params.slug, request.preconditions)
        return { status: 204, body: null }
      })
    },
  )
}

export default registryRoutes
