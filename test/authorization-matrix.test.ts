import t from 'tap'
import { apiClients, institutions, offerRuns, offerVersions, offers, recognitionDecisions, recognitionSettings, webhookSubscriptions } from '../src/db/schema.js'
import { INSTITUTION_SCOPES, type Scope } from '../src/lib/scopes.js'
import { organizationId } from '../src/modules/ooapi/index.js'
import { generateOpenApiDocument } from '../src/openapi-document.js'
import { ADMIN_TOKEN, admin, bearer, startTestApp } from './helpers/app.js'
import { completeOffer, exportableOffer } from './helpers/offers.js'

/**
 * Every operation of the OpenAPI document × every kind of caller. Each operation declares
 * once what each caller gets; an operation without a declaration fails the test, so a new
 * route cannot skip it. A is the tenant whose data the request touches, B another tenant.
 */
type Caller = 'anonymous' | 'operator' | 'owner' | 'other' | 'lackingScope'
const CALLERS: Caller[] = ['anonymous', 'operator', 'other', 'lackingScope', 'owner']

interface Request {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE' | 'PATCH'
  url: string
  payload?: object
  headers?: Record<string, string>
}

const ctx = await startTestApp(t)
const { app } = ctx
const db = ctx.database.handle.db
const A = 'unibo.it'
const B = 'kuleuven.be'
const C = 'helsinki.fi'
for (const [schac, country] of [[A, 'IT'], [B, 'BE'], [C, 'FI']] as const) await ctx.institution(schac, country)
await app.inject({ method: 'PUT', url: '/v1/alliances/una-europa', headers: admin, payload: { name: 'Una Europa', members: [A, B, C] } })

const keyCache = new Map<string, string>()
async function keyOf(institution: string, scopes: readonly Scope[]): Promise<string> {
  const id = `${institution}:${[...scopes].sort().join(',')}`
  if (!keyCache.has(id)) keyCache.set(id, await ctx.key(institution, [...scopes]))
  return keyCache.get(id)!
}

const put = async (institution: string, externalId: string, payload: object) =>
  (await app.inject({ method: 'PUT', url: `/v1/institutions/${institution}/offers/${externalId}`, headers: bearer(await keyOf(institution, INSTITUTION_SCOPES)), payload })).json()
const aOffer = await put(A, 'MATRIX-LIVE', completeOffer())
const aDraft = await put(A, 'MATRIX-DRAFT', { title: { en: 'Draft' }, status: 'draft' })
const aExportableDraft = await put(A, 'MATRIX-EXPORTABLE-DRAFT', exportableOffer({ status: 'draft' }))
const cOffer = await put(C, 'MATRIX-C', completeOffer())
const cJointOffer = await put(C, 'MATRIX-C-JOINT', completeOffer({ awardingBodies: [{ schac: C }, { schac: A }] }))
await put(A, 'MATRIX-RUNS', completeOffer())
const aRunsDraft = await put(A, 'MATRIX-RUNS-DRAFT', { title: { en: 'Draft with runs' }, participation: ['online'], status: 'draft' })
const aRun = { startDate: '2027-02-01', endDate: '2027-05-31', language: 'en', mode: 'online' }
const putRunOfA = async (externalId: string, runId: string) =>
  (await app.inject({ method: 'PUT', url: `/v1/institutions/${A}/offers/${externalId}/runs/${runId}`, headers: bearer(await keyOf(A, INSTITUTION_SCOPES)), payload: aRun })).json()
const aDraftRun = await putRunOfA('MATRIX-RUNS-DRAFT', 'D1')
let serial = 0
const fresh = (prefix: string) => `${prefix}-${++serial}`

async function individualDecisionOfA(): Promise<string> {
  const response = await app.inject({
    method: 'POST',
    url: '/v1/recognitions',
    headers: bearer(await keyOf(A, ['recognition:write', 'recognition:read'])),
    payload: { offerId: cOffer.id, scope: 'individual', learnerRef: fresh('matrix-learner'), purpose: 'credit_transfer', outcome: 'full', creditsRecognised: 3 },
  })
  return response.json().id
}
const aDecision = await individualDecisionOfA()

async function deletableInstitution(): Promise<string> {
  const schac = `${fresh('gone')}.example`
  await ctx.institution(schac)
  return schac
}

/** The scopes of the owner's and the other tenant's keys (webhook subscriptions belong to a client). */
const TENANT_SCOPES: Scope[] = [...INSTITUTION_SCOPES, 'webhooks:manage']
async function subscriptionOfA(): Promise<string> {
  const response = await app.inject({ method: 'POST', url: '/v1/webhooks', headers: bearer(await keyOf(A, TENANT_SCOPES)), payload: { url: 'https://mirror.example.eu/hook', events: ['offer'] } })
  return response.json().id
}
const aSubscription = await subscriptionOfA()
const webhookOwner = (success: number) => ({ anonymous: 401, operator: 403, owner: success, other: 404, lackingScope: 403 })

interface Declaration {
  request: () => Promise<Request> | Request
  expect: Record<Caller, number>
}
const all = (status: number): Record<Caller, number> => ({ anonymous: status, operator: status, owner: status, other: status, lackingScope: status })
const operatorOnly = (success: number) => ({ anonymous: 401, operator: success, owner: 403, other: 403, lackingScope: 403 })
const tenantWrite = (success: number) => ({ anonymous: 401, operator: 403, owner: success, other: 403, lackingScope: 403 })
const ownersPrivate = { anonymous: 404, operator: 404, owner: 200, other: 404, lackingScope: 200 }

const DECLARATIONS: Record<string, Declaration> = {
  getLiveness: { request: () => ({ method: 'GET', url: '/health/live' }), expect: all(200) },
  getReadiness: { request: () => ({ method: 'GET', url: '/health/ready' }), expect: all(200) },
  listInstitutions: { request: () => ({ method: 'GET', url: '/v1/institutions' }), expect: all(200) },
  getInstitution: { request: () => ({ method: 'GET', url: `/v1/institutions/${A}` }), expect: all(200) },
  putInstitution: {
    request: () => ({ method: 'PUT', url: `/v1/institutions/${A}`, payload: { name: { en: `Bologna ${fresh('v')}` }, country: 'IT' } }),
    expect: operatorOnly(200),
  },
  deleteInstitution: { request: async () => ({ method: 'DELETE', url: `/v1/institutions/${await deletableInstitution()}` }), expect: operatorOnly(204) },
  patchInstitution: {
    request: async () => {
      const { etag } = (await app.inject({ method: 'GET', url: `/v1/institutions/${A}` })).headers
      return { method: 'PATCH', url: `/v1/institutions/${A}`, payload: { website: `https://${fresh('w')}.example` }, headers: { 'content-type': 'application/merge-patch+json', 'if-match': String(etag) } }
    },
    expect: operatorOnly(200),
  },
  listAlliances: { request: () => ({ method: 'GET', url: '/v1/alliances' }), expect: all(200) },
  getAlliance: { request: () => ({ method: 'GET', url: '/v1/alliances/una-europa' }), expect: all(200) },
  putAlliance: { request: () => ({ method: 'PUT', url: `/v1/alliances/${fresh('alliance')}`, payload: { name: 'New', members: [A] } }), expect: operatorOnly(201) },
  patchAlliance: {
    request: async () => {
      const { etag } = (await app.inject({ method: 'GET', url: '/v1/alliances/una-europa' })).headers
      return { method: 'PATCH', url: '/v1/alliances/una-europa', payload: { website: `https://${fresh('w')}.example` }, headers: { 'content-type': 'application/merge-patch+json', 'if-match': String(etag) } }
    },
    expect: operatorOnly(200),
  },
  addAllianceMember: { request: async () => ({ method: 'PUT', url: `/v1/alliances/una-europa/members/${await deletableInstitution()}` }), expect: operatorOnly(200) },
  removeAllianceMember: {
    request: async () => {
      const schac = await deletableInstitution()
      await app.inject({ method: 'PUT', url: `/v1/alliances/una-europa/members/${schac}`, headers: admin })
      return { method: 'DELETE', url: `/v1/alliances/una-europa/members/${schac}` }
    },
    expect: operatorOnly(200),
  },
  deleteAlliance: {
    request: async () => {
      const slug = fresh('doomed')
      await app.inject({ method: 'PUT', url: `/v1/alliances/${slug}`, headers: admin, payload: { name: 'Doomed', members: [] } })
      return { method: 'DELETE', url: `/v1/alliances/${slug}` }
    },
    expect: operatorOnly(204),
  },
  createClient: { request: () => ({ method: 'POST', url: '/v1/clients', payload: { institution: A, name: 'matrix', scopes: ['recognition:read'] } }), expect: operatorOnly(201) },
  listClients: { request: () => ({ method: 'GET', url: '/v1/clients' }), expect: operatorOnly(200) },
  getSearchIndexStatus: { request: () => ({ method: 'GET', url: '/v1/search-index' }), expect: operatorOnly(200) },
  repairSearchIndex: { request: () => ({ method: 'POST', url: '/v1/search-index/repair' }), expect: operatorOnly(202) },
  revokeClient: {
    request: async () => {
      const created = await app.inject({ method: 'POST', url: '/v1/clients', headers: admin, payload: { institution: A, name: 'victim', scopes: ['recognition:read'] } })
      return { method: 'DELETE', url: `/v1/clients/${created.json().id}` }
    },
    expect: operatorOnly(200),
  },
  putOffer: { request: () => ({ method: 'PUT', url: `/v1/institutions/${A}/offers/MATRIX-LIVE`, payload: completeOffer({ title: { en: fresh('Title') } }) }), expect: tenantWrite(200) },
  withdrawOffer: { request: () => ({ method: 'DELETE', url: `/v1/institutions/${A}/offers/MATRIX-LIVE` }), expect: tenantWrite(200) },
  listAwardingRequests: {
    request: () => ({ method: 'GET', url: `/v1/institutions/${A}/awarding-requests` }),
    expect: { anonymous: 401, operator: 403, owner: 200, other: 404, lackingScope: 403 },
  },
  answerAwardingRequest: {
    // A answers for itself; another institution's key cannot answer for A.
    request: () => ({ method: 'PUT', url: `/v1/offers/${cJointOffer.id}/awarding-bodies/${A}`, payload: { status: 'confirmed' } }),
    expect: tenantWrite(200),
  },
  getOfferByExternalId: { request: () => ({ method: 'GET', url: `/v1/institutions/${A}/offers/MATRIX-DRAFT` }), expect: ownersPrivate },
  syncOffers: {
    request: () => ({ method: 'POST', url: `/v1/institutions/${A}/offers/sync`, payload: { mode: 'upsert', offers: [{ externalId: fresh('SYNCED'), ...completeOffer() }] } }),
    expect: tenantWrite(200),
  },
  searchOffers: { request: () => ({ method: 'GET', url: '/v1/offers' }), expect: all(200) },
  putRun: { request: () => ({ method: 'PUT', url: `/v1/institutions/${A}/offers/MATRIX-RUNS/runs/${fresh('RUN')}`, payload: aRun }), expect: tenantWrite(201) },
  deleteRun: {
    request: async () => {
      const runId = fresh('DOOMED-RUN')
      await putRunOfA('MATRIX-RUNS', runId)
      return { method: 'DELETE', url: `/v1/institutions/${A}/offers/MATRIX-RUNS/runs/${runId}` }
    },
    expect: tenantWrite(204),
  },
  // Runs of a draft are as private as the draft.
  listRuns: { request: () => ({ method: 'GET', url: `/v1/offers/${aRunsDraft.id}/runs` }), expect: ownersPrivate },
  getRun: { request: () => ({ method: 'GET', url: `/v1/offers/${aRunsDraft.id}/runs/D1` }), expect: ownersPrivate },
  getRunById: { request: () => ({ method: 'GET', url: `/v1/runs/${aDraftRun.id}` }), expect: ownersPrivate },
  // The OOAPI view is the public catalogue: a draft and its runs are not in it, for anyone.
  ooapiService: { request: () => ({ method: 'GET', url: '/ooapi/v5/' }), expect: all(200) },
  ooapiOrganizations: { request: () => ({ method: 'GET', url: '/ooapi/v5/organizations' }), expect: all(200) },
  ooapiOrganization: { request: () => ({ method: 'GET', url: `/ooapi/v5/organizations/${organizationId(A)}` }), expect: all(200) },
  ooapiCourses: { request: () => ({ method: 'GET', url: '/ooapi/v5/courses' }), expect: all(200) },
  ooapiCourse: { request: () => ({ method: 'GET', url: `/ooapi/v5/courses/${aRunsDraft.id}` }), expect: all(404) },
  ooapiCourseOfferings: { request: () => ({ method: 'GET', url: `/ooapi/v5/courses/${aRunsDraft.id}/offerings` }), expect: all(404) },
  ooapiOffering: { request: () => ({ method: 'GET', url: `/ooapi/v5/offerings/${aDraftRun.id}` }), expect: all(404) },
  getOffer: { request: () => ({ method: 'GET', url: `/v1/offers/${aDraft.id}` }), expect: ownersPrivate },
  listOfferVersions: { request: () => ({ method: 'GET', url: `/v1/offers/${aDraft.id}/versions` }), expect: ownersPrivate },
  getOfferVersion: { request: () => ({ method: 'GET', url: `/v1/offers/${aDraft.id}/versions/1` }), expect: ownersPrivate },
  exportOfferElm: { request: () => ({ method: 'GET', url: `/v1/offers/${aExportableDraft.id}/elm` }), expect: ownersPrivate },
  exportOfferVersionElm: { request: () => ({ method: 'GET', url: `/v1/offers/${aExportableDraft.id}/versions/1/elm` }), expect: ownersPrivate },
  exportOfferOb3: { request: () => ({ method: 'GET', url: `/v1/offers/${aExportableDraft.id}/ob3` }), expect: ownersPrivate },
  // Public data: the published catalogue only, the same for every caller (the owner's drafts included in no one's).
  exportInstitutionDataset: { request: () => ({ method: 'GET', url: `/v1/institutions/${A}/exports/elm` }), expect: all(200) },
  exportAllianceDataset: { request: () => ({ method: 'GET', url: '/v1/alliances/una-europa/exports/loq-xml' }), expect: all(200) },
  getOfferRecognition: { request: () => ({ method: 'GET', url: `/v1/offers/${aOffer.id}/recognition` }), expect: all(200) },
  listChanges: { request: () => ({ method: 'GET', url: '/v1/changes' }), expect: all(200) },
  recordDecision: {
    // Each institution decides for itself: the other tenant's decision is its own, not A's.
    request: () => ({
      method: 'POST',
      url: '/v1/recognitions',
      payload: { offerId: cOffer.id, scope: 'individual', learnerRef: fresh('learner'), purpose: 'exemption', outcome: 'full', creditsRecognised: 3 },
    }),
    expect: { anonymous: 401, operator: 403, owner: 201, other: 201, lackingScope: 403 },
  },
  revokeDecision: {
    request: async () => ({ method: 'POST', url: `/v1/recognitions/${await individualDecisionOfA()}/revoke`, payload: { reason: 'matrix' } }),
    expect: { anonymous: 401, operator: 403, owner: 200, other: 404, lackingScope: 403 },
  },
  recognitionStatus: { request: () => ({ method: 'POST', url: '/v1/recognitions/status', payload: { offers: [aOffer.id, aDraft.id] } }), expect: all(200) },
  getRecognitionSettings: { request: () => ({ method: 'GET', url: `/v1/institutions/${A}/recognition-settings` }), expect: all(200) },
  // Only A sets A's time limit; the other tenant's key is refused, and A's row stays as it was.
  putRecognitionSettings: { request: () => ({ method: 'PUT', url: `/v1/institutions/${A}/recognition-settings`, payload: { decisionTimeLimit: `P${++serial}D` } }), expect: tenantWrite(200) },
  // Each institution lists its own overdue decisions: B's key answers with B's, none of A's.
  listOverdueDecisions: { request: () => ({ method: 'GET', url: '/v1/recognitions/overdue' }), expect: { anonymous: 401, operator: 403, owner: 200, other: 200, lackingScope: 403 } },
  listDecisions: { request: () => ({ method: 'GET', url: '/v1/recognitions' }), expect: all(200) },
  getDecision: { request: () => ({ method: 'GET', url: `/v1/recognitions/${aDecision}` }), expect: { ...ownersPrivate, lackingScope: 404 } },
  getDecisionHistory: { request: () => ({ method: 'GET', url: `/v1/recognitions/${aDecision}/history` }), expect: { ...ownersPrivate, lackingScope: 404 } },
  createWebhookSubscription: {
    request: () => ({ method: 'POST', url: '/v1/webhooks', payload: { url: 'https://mirror.example.eu/hook', events: ['offer.published'] } }),
    expect: { anonymous: 401, operator: 403, owner: 201, other: 201, lackingScope: 403 },
  },
  listWebhookSubscriptions: { request: () => ({ method: 'GET', url: '/v1/webhooks' }), expect: { anonymous: 401, operator: 403, owner: 200, other: 200, lackingScope: 403 } },
  getWebhookSubscription: { request: () => ({ method: 'GET', url: `/v1/webhooks/${aSubscription}` }), expect: webhookOwner(200) },
  updateWebhookSubscription: {
    request: () => ({ method: 'PUT', url: `/v1/webhooks/${aSubscription}`, payload: { url: `https://mirror.example.eu/${fresh('hook')}`, events: ['offer'] } }),
    expect: webhookOwner(200),
  },
  deleteWebhookSubscription: { request: async () => ({ method: 'DELETE', url: `/v1/webhooks/${await subscriptionOfA()}` }), expect: webhookOwner(204) },
  pauseWebhookSubscription: { request: () => ({ method: 'POST', url: `/v1/webhooks/${aSubscription}/pause` }), expect: webhookOwner(200) },
  resumeWebhookSubscription: { request: () => ({ method: 'POST', url: `/v1/webhooks/${aSubscription}/resume` }), expect: webhookOwner(200) },
  rotateWebhookSecret: { request: () => ({ method: 'POST', url: `/v1/webhooks/${aSubscription}/rotate-secret` }), expect: webhookOwner(200) },
  pingWebhookSubscription: { request: () => ({ method: 'POST', url: `/v1/webhooks/${aSubscription}/ping` }), expect: webhookOwner(202) },
  listWebhookDeliveries: { request: () => ({ method: 'GET', url: `/v1/webhooks/${aSubscription}/deliveries` }), expect: webhookOwner(200) },
  redeliverWebhookDelivery: {
    request: async () => {
      const ping = await app.inject({ method: 'POST', url: `/v1/webhooks/${aSubscription}/ping`, headers: bearer(await keyOf(A, TENANT_SCOPES)) })
      return { method: 'POST', url: `/v1/webhooks/${aSubscription}/deliveries/${ping.json().id}/redeliver` }
    },
    expect: webhookOwner(202),
  },
  replayWebhookEvents: { request: () => ({ method: 'POST', url: `/v1/webhooks/${aSubscription}/replay`, payload: { fromSequence: 0 } }), expect: webhookOwner(202) },
  listAuditRecords: { request: () => ({ method: 'GET', url: '/v1/audit' }), expect: { anonymous: 401, operator: 200, owner: 200, other: 200, lackingScope: 200 } },
}

/** The scopes of a caller of each kind, for an operation requiring `required` (if any). */
async function headersFor(caller: Caller, required: Scope | undefined): Promise<Record<string, string>> {
  switch (caller) {
    case 'anonymous':
      return {}
    case 'operator':
      return bearer(ADMIN_TOKEN)
    case 'owner':
      return bearer(await keyOf(A, TENANT_SCOPES))
    case 'other':
      return bearer(await keyOf(B, TENANT_SCOPES))
    case 'lackingScope': {
      const scopes = (['catalogue:write', 'recognition:write', 'recognition:read'] as Scope[]).filter((s) => s !== required)
      return bearer(await keyOf(A, required === undefined ? ['catalogue:write'] : scopes))
    }
  }
}

/** Everything tenant A owns, to prove another tenant's writes leave it byte-identical. */
async function tenantRows() {
  const rows = { subscriptions: await db.select().from(webhookSubscriptions), offers: await db.select().from(offers), runs: await db.select().from(offerRuns), versions: await db.select().from(offerVersions), decisions: await db.select().from(recognitionDecisions), clients: await db.select().from(apiClients), institutions: await db.select().from(institutions), settings: await db.select().from(recognitionSettings) }
  return JSON.stringify({
    offers: rows.offers.filter((o) => o.institutionSchac === A).sort((x, y) => x.id.localeCompare(y.id)),
    versions: rows.versions.filter((v) => rows.offers.some((o) => o.id === v.offerId && o.institutionSchac === A)).length,
    runs: rows.runs.filter((r) => r.institutionSchac === A).sort((x, y) => x.id.localeCompare(y.id)),
    decisions: rows.decisions.filter((d) => d.recognisingInstitution === A).sort((x, y) => x.id.localeCompare(y.id)),
    clients: rows.clients.filter((c) => c.institutionSchac === A).sort((x, y) => x.id.localeCompare(y.id)),
    institution: rows.institutions.find((i) => i.schac === A),
    recognitionSettings: rows.settings.find((row) => row.institutionSchac === A),
    subscriptions: rows.subscriptions.filter((w) => rows.clients.some((c) => c.id === w.clientId && c.institutionSchac === A)).sort((x, y) => x.id.localeCompare(y.id)),
  })
}

const document = JSON.parse(await generateOpenApiDocument())
const operations: Array<{ operationId: string; method: string; path: string; scope: Scope | undefined }> = []
for (const [path, item] of Object.entries<Record<string, any>>(document.paths)) {
  for (const [method, operation] of Object.entries<any>(item)) {
    operations.push({ operationId: operation.operationId, method, path, scope: operation.security?.[0]?.bearerAuth?.[0] })
  }
}

t.test('every operation in the OpenAPI document has a declaration', async (t) => {
  const undeclared = operations.filter((o) => !DECLARATIONS[o.operationId]).map((o) => `${o.method.toUpperCase()} ${o.path} (${o.operationId})`)
  t.same(undeclared, [], 'declare the expected outcome of each caller for these operations')
  const stale = Object.keys(DECLARATIONS).filter((id) => !operations.some((o) => o.operationId === id))
  t.same(stale, [], 'declarations of operations that no longer exist')
})

for (const operation of operations) {
  const declaration = DECLARATIONS[operation.operationId]
  if (!declaration) continue
  t.test(`${operation.method.toUpperCase()} ${operation.path}`, async (t) => {
    for (const caller of CALLERS) {
      const request = await declaration.request()
      const isWrite = request.method !== 'GET'
      const before = caller === 'other' && isWrite ? await tenantRows() : undefined
      const response = await app.inject({ ...request, headers: { ...request.headers, ...(await headersFor(caller, operation.scope)) } })
      t.equal(response.statusCode, declaration.expect[caller], `${caller}: ${response.statusCode === declaration.expect[caller] ? '' : response.body.slice(0, 300)}`)
      if (response.statusCode >= 400) t.match(response.headers['content-type'], /application\/problem\+json/, `${caller}: problem JSON`)
      if (before !== undefined && operation.operationId !== 'recordDecision') {
        t.equal(await tenantRows(), before, `${caller}: tenant ${A}'s rows are byte-identical`)
      }
    }
  })
}
