import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import type { OoapiConfig } from '../../config.js'
import { problemResponses } from '../../schemas.js'
import type { RunSourceFactory } from './run-source.js'
import { CourseParams, CoursePage, OfferingPage, OfferingParams, OoapiCourse, OoapiOffering, OoapiOrganization, OoapiService, OrganizationPage, OrganizationParams, PagingQuery } from './schemas.js'
import { createOoapiService } from './service.js'

export interface OoapiRoutesOptions {
  config: OoapiConfig
  /** Where runs are read from; absent, courses have no offerings (an empty page) and every offering is 404. */
  runs?: RunSourceFactory
}

export const OOAPI_PREFIX = '/ooapi/v5'

/**
 * Without OOAPI_CONTACT_EMAIL, the postmaster of the public host (RFC 5321 §4.5.1). A server
 * reached by IP address or a one-label name (a development machine) has no such mailbox: its
 * root names one under the reserved .localhost domain (RFC 2606), still an address OOAPI accepts.
 */
function postmasterOf(hostname: string): string {
  const domain = /^(?=.*[a-z])[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(hostname) ? hostname : 'passerelle.localhost'
  return `postmaster@${domain}`
}
const TAGS = ['OOAPI']

/**
 * A read-only Open Education API (OOAPI) v5 view of the registry and the published catalogue,
 * for portals and university systems: public, like the catalogue itself. Drafts and withdrawn
 * offers never appear.
 */
const ooapiRoutes: FastifyPluginAsyncTypebox<OoapiRoutesOptions> = async (app, { config, runs }) => {
  const ooapi = createOoapiService(app.db, runs?.(app.db))
  const baseUrl = (request: FastifyRequest) => config.publicBaseUrl ?? `${request.protocol}://${request.host}`
  const publicRoute = { access: 'public' as const }

  app.get(
    `${OOAPI_PREFIX}/`,
    {
      config: publicRoute,
      schema: { operationId: 'ooapiService', tags: TAGS, summary: 'OOAPI v5 service root: contact, specification, documentation', response: { 200: OoapiService } },
    },
    async (request) => {
      const base = baseUrl(request)
      return {
        contactEmail: config.contactEmail ?? postmasterOf(new URL(base).hostname),
        specification: `${base}/openapi.json`,
        documentation: `${base}/docs`,
      }
    },
  )

  app.get(
    `${OOAPI_PREFIX}/organizations`,
    {
      config: publicRoute,
      schema: { operationId: 'ooapiOrganizations', tags: TAGS, summary: 'The institutions as OOAPI organizations, by SCHAC code', querystring: PagingQuery, response: { 200: OrganizationPage } },
    },
    async (request) => ooapi.organizations(request.query),
  )

  app.get(
    `${OOAPI_PREFIX}/organizations/:organizationId`,
    {
      config: publicRoute,
      schema: {
        operationId: 'ooapiOrganization',
        tags: TAGS,
        summary: 'One institution as an OOAPI organization (its id: UUID v5 of the SCHAC code in the DNS namespace)',
        params: OrganizationParams,
        response: { 200: OoapiOrganization, ...problemResponses(404) },
      },
    },
    async (request) => ooapi.organization(request.params.organizationId),
  )

  app.get(
    `${OOAPI_PREFIX}/courses`,
    {
      config: publicRoute,
      schema: { operationId: 'ooapiCourses', tags: TAGS, summary: 'The published offers as OOAPI courses, in id order', querystring: PagingQuery, response: { 200: CoursePage } },
    },
    async (request) => ooapi.courses(request.query),
  )

  app.get(
    `${OOAPI_PREFIX}/courses/:courseId`,
    {
      config: publicRoute,
      schema: {
        operationId: 'ooapiCourse',
        tags: TAGS,
        summary: 'One published offer as an OOAPI course (its id is the offer id)',
        params: CourseParams,
        response: { 200: OoapiCourse, ...problemResponses(404) },
      },
    },
    async (request) => ooapi.course(request.params.courseId),
  )

  app.get(
    `${OOAPI_PREFIX}/courses/:courseId/offerings`,
    {
      config: publicRoute,
      schema: {
        operationId: 'ooapiCourseOfferings',
        tags: TAGS,
        summary: 'The runs of a published offer as OOAPI course offerings, by start date',
        params: CourseParams,
        querystring: PagingQuery,
        response: { 200: OfferingPage, ...problemResponses(404) },
      },
    },
    async (request) => ooapi.offeringsOfCourse(request.params.courseId, request.query),
  )

  app.get(
    `${OOAPI_PREFIX}/offerings/:offeringId`,
    {
      config: publicRoute,
      schema: {
        operationId: 'ooapiOffering',
        tags: TAGS,
        summary: 'One run of a published offer as an OOAPI course offering',
        params: OfferingParams,
        response: { 200: OoapiOffering, ...problemResponses(404) },
      },
    },
    async (request) => ooapi.offering(request.params.offeringId),
  )
}

export default ooapiRoutes
