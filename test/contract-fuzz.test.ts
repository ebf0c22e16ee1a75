import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import fc from 'fast-check'
import t from 'tap'
import { generateOpenApiDocument } from '../src/openapi-document.js'
import { admin, bearer, ownerAndPartner, startTestApp } from './helpers/app.js'
import { completeOffer } from './helpers/offers.js'

/**
 * Contract fuzzing: for every operation, generated inputs — valid ones, valid ones with a
 * field replaced by anything, and anything at all — sent by an institution, by nobody and
 * with a key that does not exist. Never a 5xx; every status is one the operation documents;
 * every error is problem JSON; every success matches its declared schema. Strings PostgreSQL
 * cannot store (U+0000, unpaired surrogates) and values out of its ranges (leap seconds, year 0,
 * integers past 32 or 53 bits) are among the inputs, and every string field, query parameter
 * and path parameter of every operation gets each hostile string once.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 30)

const ctx = await startTestApp(t)
const { app } = ctx
const { owner, partner } = await ownerAndPartner(ctx)
const unknownKey = bearer(`psl_unknown_${'x'.repeat(40)}`)
const offer = (await app.inject({ method: 'PUT', url: '/v1/institutions/unibo.it/offers/FUZZ-1', headers: owner, payload: completeOffer() })).json()
const decision = (
  await app.inject({
    method: 'POST',
    url: '/v1/recognitions',
    headers: partner,
    payload: { offerId: offer.id, scope: 'ex_ante', purpose: 'credit_transfer', outcome: 'full', creditsRecognised: 3 },
  })
).json()

const document = JSON.parse(await generateOpenApiDocument())
const ajv = new Ajv2020({ strict: false, allErrors: true })
addFormats.default(ajv)
ajv.addSchema({ ...document, $id: 'https://passerelle.invalid/openapi.json' })

/** Valid path parameters and bodies to start from, per operation. */
const PATH_VALUES: Record<string, string> = {
  schac: 'unibo.it',
  slug: 'una-europa',
  externalId: 'FUZZ-1',
  id: offer.id,
  version: '1',
  deliveryId: '1',
  runId: 'FUZZ-RUN',
}
const VALID_BODIES: Record<string, () => unknown> = {
  putInstitution: () => ({ name: { en: 'Fuzz University' }, country: 'IT' }),
  putAlliance: () => ({ name: 'Fuzz alliance', members: ['unibo.it'] }),
  patchInstitution: () => ({ name: { fr: 'Université Fuzz', en: null }, website: null }),
  patchAlliance: () => ({ name: 'Fuzz alliance', website: 'https://fuzz.example', members: ['unibo.it'] }),
  createClient: () => ({ institution: 'unibo.it', name: 'fuzz', scopes: ['recognition:read'] }),
  putOffer: () => completeOffer(),
  putRun: () => ({ startDate: '2027-02-01', endDate: '2027-05-31', language: 'en', mode: 'online', fees: [{ amount: 0, currency: 'EUR', appliesTo: 'everyone' }] }),
  syncOffers: () => ({ mode: 'upsert', offers: [{ externalId: 'FUZZ-SYNC', ...completeOffer() }] }),
  recordDecision: () => ({ offerId: offer.id, scope: 'individual', learnerRef: 'fuzz-learner', purpose: 'exemption', outcome: 'full', creditsRecognised: 3 }),
  revokeDecision: () => ({ reason: 'fuzz' }),
  putRecognitionSettings: () => ({ decisionTimeLimit: 'P4M' }),
  answerAwardingRequest: () => ({ status: 'confirmed' }),
  recognitionStatus: () => ({ offers: [offer.id, decision.id] }),
  createWebhookSubscription: () => ({ url: 'https://mirror.example.eu/hook', events: ['offer', 'recognition.created'], institutions: ['unibo.it'], alliances: null }),
  updateWebhookSubscription: () => ({ url: 'https://mirror.example.eu/hook', events: ['institution'] }),
  replayWebhookEvents: () => ({ fromSequence: 0, toSequence: 10 }),
}

/** Strings PostgreSQL cannot store, among others of any code points. */
const HOSTILE_STRINGS = ['\u0000', 'a\u0000b', '\ud800', 'x\udfff', '\udc00\ud800', '\ud83d']
const hostileString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.string({ unit: fc.constantFrom('\u0000', '\ud800', '\udc00', 'a', 'é', '\ud83d\ude00'), maxLength: 8 }),
)
/** Values the schemas must refuse because the database cannot hold them. */
const OUT_OF_RANGE = [2147483648, 1e20, Number.MAX_SAFE_INTEGER + 2, '2026-06-30T23:59:60Z', '0000-01-01', '0000-01-01T00:00:00Z', '2026-01-01T00:00:00+01']
const outOfRange = fc.constantFrom(...OUT_OF_RANGE)

/**
 * encodeURIComponent, but an unpaired surrogate is sent as the three bytes its code unit
 * would take (as a careless client would), instead of throwing.
 */
function encodeAny(value: string): string {
  return value.replace(/\p{Cs}|[^\p{Cs}]+/gu, (part) => {
    if (!/^\p{Cs}$/u.test(part)) return encodeURIComponent(part)
    const unit = part.charCodeAt(0)
    return [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)].map((byte) => `%${byte.toString(16).toUpperCase()}`).join('')
  })
}

function queryString(params: Record<string, string>): string {
  return Object.entries(params)
    .map(([name, value]) => `${encodeAny(name)}=${encodeAny(value)}`)
    .join('&')
}

/** The paths of every string in a value. */
function stringPaths(value: unknown, path: string[] = []): string[][] {
  if (typeof value === 'string') return [path]
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, child]) => stringPaths(child, [...path, key]))
  return []
}

function replaced(valid: unknown, path: string[], value: unknown): unknown {
  const copy = structuredClone(valid) as Record<string, unknown>
  let target: Record<string, unknown> = copy
  for (const key of path.slice(0, -1)) target = target[key] as Record<string, unknown>
  target[path[path.length - 1]!] = value
  return copy
}

/** A valid body with one field, at any depth, replaced by an arbitrary value. */
function mutated(valid: unknown): fc.Arbitrary<unknown> {
  const paths: string[][] = []
  const walk = (value: unknown, path: string[]) => {
    if (path.length > 0) paths.push(path)
    if (value && typeof value === 'object') for (const [key, child] of Object.entries(value)) walk(child, [...path, key])
  }
  walk(valid, [])
  if (paths.length === 0) return fc.anything()
  const value = fc.oneof(fc.anything(), fc.string(), hostileString, outOfRange, fc.integer(), fc.double(), fc.constant(null))
  return fc.tuple(fc.constantFrom(...paths), value).map(([path, replacement]) => replaced(valid, path, replacement))
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/**
 * Any path parameter value but `.` and `..`: as a path segment they are removed from the URL
 * (RFC 3986 §5.2.4), which then names another path, not this operation.
 */
const pathSegment = fc.oneof(fc.string({ maxLength: 40 }), hostileString).filter((value) => value !== '.' && value !== '..')

const queryValue = fc.oneof(
  fc.string({ maxLength: 30 }),
  hostileString,
  outOfRange.map(String),
  fc.integer().map(String),
  fc.constantFrom('true', '', '%', '-1', '1e9', 'null'),
)

interface Operation {
  operationId: string
  method: string
  path: string
  queryNames: string[]
  hasBody: boolean
  /** The media type the body is sent as (application/merge-patch+json for a PATCH). */
  bodyType: string
  responses: Record<string, any>
}

const operations: Operation[] = []
for (const [path, item] of Object.entries<Record<string, any>>(document.paths)) {
  for (const [method, operation] of Object.entries<any>(item)) {
    operations.push({
      operationId: operation.operationId,
      method: method.toUpperCase(),
      path,
      queryNames: (operation.parameters ?? []).filter((p: any) => p.in === 'query').map((p: any) => p.name),
      hasBody: operation.requestBody !== undefined,
      bodyType: Object.keys(operation.requestBody?.content ?? {})[0] ?? 'application/json',
      responses: operation.responses,
    })
  }
}

function schemaRef(operation: Operation, status: number): string | undefined {
  const response = operation.responses[String(status)]
  if (!response?.content) return undefined
  const contentType = Object.keys(response.content)[0]!
  const escape = (segment: string) => segment.replaceAll('~', '~0').replaceAll('/', '~1')
  return `https://passerelle.invalid/openapi.json#/paths/${escape(operation.path)}/${operation.method.toLowerCase()}/responses/${status}/content/${escape(contentType)}/schema`
}

for (const operation of operations) {
  t.test(`${operation.method} ${operation.path}`, async (t) => {
    const pathParams = fc.record(
      Object.fromEntries(
        [...operation.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => [name, fc.oneof({ weight: 3, arbitrary: fc.constant(PATH_VALUES[name!]!) }, { weight: 1, arbitrary: pathSegment })]),
      ),
    )
    const query = fc.dictionary(fc.constantFrom(...(operation.queryNames.length > 0 ? operation.queryNames : ['unexpected'])), queryValue, { maxKeys: 3 })
    const valid = VALID_BODIES[operation.operationId]?.()
    const json = (payload: unknown) => ({ type: operation.bodyType, payload: JSON.stringify(payload ?? null) })
    // An operation without a body may still be sent one: a stray one, of any type.
    const stray = fc.constantFrom({ type: 'text/plain', payload: 'stray' }, { type: 'application/json', payload: '{}' })
    const body: fc.Arbitrary<{ type: string; payload: string } | undefined> = operation.hasBody
      ? fc.oneof(...(valid === undefined ? [fc.anything()] : [fc.constant(valid), mutated(valid), mutated(valid), fc.anything()])).map(json)
      : BODY_METHODS.has(operation.method)
        ? fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: stray })
        : fc.constant(undefined)
    const caller = fc.constantFrom<Record<string, string>>({}, owner, partner, admin, unknownKey)

    let checked = 0
    await fc.assert(
      fc.asyncProperty(pathParams, query, body, caller, async (params, queryParams, payload, headers) => {
        await sendAndCheck(operation, params as Record<string, string>, queryParams, payload, headers)
        checked++
      }),
      { numRuns: RUNS },
    )
    t.equal(checked >= RUNS, true, `${checked} generated requests, none a 5xx, all true to the contract`)
  })

  t.test(`${operation.method} ${operation.path}: every string field, query and path parameter with each hostile string`, async (t) => {
    const validParams = Object.fromEntries([...operation.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => [name!, PATH_VALUES[name!]!]))
    const valid = VALID_BODIES[operation.operationId]?.()
    const json = (payload: unknown) => ({ type: operation.bodyType, payload: JSON.stringify(payload) })
    const caller = operation.method === 'GET' ? owner : operation.path.startsWith('/v1/recognitions') ? partner : operation.path.startsWith('/v1/institutions/{schac}/offers') ? owner : admin
    let sent = 0
    for (const hostile of [...HOSTILE_STRINGS, ...OUT_OF_RANGE.map(String)]) {
      for (const name of Object.keys(validParams)) {
        await sendAndCheck(operation, { ...validParams, [name]: hostile }, {}, valid === undefined ? undefined : json(valid), caller)
        sent++
      }
      for (const name of operation.queryNames) {
        await sendAndCheck(operation, validParams, { [name]: hostile }, valid === undefined ? undefined : json(valid), caller)
        sent++
      }
      for (const path of valid === undefined ? [] : stringPaths(valid)) {
        await sendAndCheck(operation, validParams, {}, json(replaced(valid, path, hostile)), caller)
        sent++
      }
    }
    t.pass(`${sent} requests with hostile values, none a 5xx`)
  })
}

/** Sends one request to an operation; throws unless the answer keeps the contract (never a 5xx). */
async function sendAndCheck(
  operation: Operation,
  params: Record<string, string>,
  queryParams: Record<string, string>,
  payload: { type: string; payload: string } | undefined,
  headers: Record<string, string>,
): Promise<void> {
  const url = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeAny(String(params[name])))
  const search = queryString(queryParams)
  const response = await app.inject({
    method: operation.method as 'GET',
    url: `${url}${search ? `?${search}` : ''}`,
    headers,
    ...(payload ? { payload: payload.payload, headers: { ...headers, 'content-type': payload.type } } : {}),
  })
  const sent = `${operation.method} ${url}${search ? `?${search}` : ''}${payload ? ` ${payload.payload.slice(0, 300)}` : ''}`
  if (response.statusCode >= 500) throw new Error(`${response.statusCode} for ${sent}: ${response.body}`)
  if (operation.responses[String(response.statusCode)] === undefined) {
    throw new Error(`${response.statusCode} is not documented for ${operation.operationId}: ${response.body.slice(0, 300)}`)
  }
  if (response.statusCode >= 400) {
    if (!/^application\/problem\+json/.test(String(response.headers['content-type']))) throw new Error(`error without problem JSON: ${response.body}`)
    const problem = response.json()
    if (problem.status !== response.statusCode || typeof problem.code !== 'string') throw new Error(`bad problem: ${response.body}`)
    return
  }
  const ref = schemaRef(operation, response.statusCode)
  if (ref === undefined) return
  const validate = ajv.getSchema(ref) ?? ajv.compile({ $ref: ref })
  if (!validate(response.json())) {
    throw new Error(`${response.statusCode} does not match its schema: ${ajv.errorsText(validate.errors)}\n${response.body.slice(0, 500)}`)
  }
}
