import { Type, type Static, type TSchema, type TUnsafe } from 'typebox'

/**
 * Schemas shared by every module. Each has an `$id`: it is registered once with `addSchema`,
 * referenced with `ref()`, and becomes a named component of the OpenAPI document.
 */

/** A `$ref` to a registered schema that keeps the schema's static type for the handlers. */
export function ref<T extends TSchema & { $id?: string }>(schema: T): T {
  if (schema.$id === undefined) throw new Error('ref() needs a schema with an $id')
  return Type.Ref(schema.$id) as unknown as T
}

export const FieldErrorSchema = Type.Object(
  {
    in: Type.Union([Type.Literal('body'), Type.Literal('query'), Type.Literal('path'), Type.Literal('header')]),
    pointer: Type.String({ description: 'JSON Pointer (RFC 6901) to the offending value' }),
    detail: Type.String(),
    code: Type.Optional(Type.String({ description: 'The rule broken, where a field can break several' })),
  },
  { $id: 'FieldError', additionalProperties: false },
)

export const Problem = Type.Object(
  {
    type: Type.String({ description: 'URI identifying the problem type' }),
    title: Type.String(),
    status: Type.Integer({ minimum: 400, maximum: 599 }),
    detail: Type.String(),
    instance: Type.String({ description: 'The request path the problem occurred on' }),
    code: Type.String({ description: 'Stable machine-readable error code', examples: ['VALIDATION_FAILED'] }),
    requestId: Type.String({ description: 'Matches the request id in the server log and X-Request-Id' }),
    errors: Type.Optional(Type.Array(ref(FieldErrorSchema), { description: 'Every failing field' })),
  },
  {
    $id: 'Problem',
    description: 'An RFC 9457 problem detail; further members may carry error-specific data',
    examples: [
      {
        type: 'urn:passerelle:problem:validation-failed',
        title: 'Validation failed',
        status: 400,
        detail: 'The request has 1 invalid field',
        instance: '/v1/offers',
        code: 'VALIDATION_FAILED',
        requestId: 'b614bfe3-c7b0-49b6-89ea-4133e0ce5833',
        errors: [{ in: 'query', pointer: '/limit', detail: 'must be >= 1' }],
      },
    ],
    additionalProperties: true,
  },
)

export const LanguageMap = Type.Record(
  Type.String({ pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$' }),
  Type.String({ minLength: 1, maxLength: 4000 }),
  {
    $id: 'LanguageMap',
    minProperties: 1,
    maxProperties: 40,
    additionalProperties: false,
    description: 'Text in one or more languages, keyed by BCP 47 language tag',
    examples: [{ en: 'Data literacy', fr: 'Littératie des données' }],
  },
)

export const SCHAC_PATTERN = '^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$'

/** For path and query parameters, which OpenAPI describes inline rather than by reference. */
export const SchacParameter = Type.String({ pattern: SCHAC_PATTERN, maxLength: 253, description: 'SCHAC code' })

export const SchacCode = Type.String({
  $id: 'SchacCode',
  pattern: SCHAC_PATTERN,
  maxLength: 253,
  description: 'SCHAC home organisation code (lower-case domain name)',
  examples: ['unibo.it'],
})

export const CountryCode = Type.String({
  $id: 'CountryCode',
  pattern: '^[A-Z]{2}$',
  description: 'ISO 3166-1 alpha-2 country code',
  examples: ['IT'],
})

export const HttpUrl = Type.String({ format: 'uri', pattern: '^https?://', maxLength: 2000 })

export const Timestamp = Type.String({ format: 'date-time' })

/**
 * What PostgreSQL's date and timestamptz columns and JavaScript's Date can both hold: years
 * 0001–9999 (PostgreSQL has no year 0), no leap second (:60), an offset of Z or ±hh:mm.
 * `format` checks the calendar; the bounds catch an offset that moves the instant out of range.
 */
const YEAR = '(?!0000)[0-9]{4}'
const DATE_PATTERN = `${YEAR}-[0-9]{2}-[0-9]{2}`
const TIME_PATTERN = '([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,9})?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])'

/** An instant given by a client (RFC 3339, as the database stores it). */
export function DateTimeInput(options: { description?: string } = {}) {
  return Type.String({
    format: 'date-time',
    pattern: `^${DATE_PATTERN}T${TIME_PATTERN}$`,
    formatMinimum: '0001-01-01T00:00:00Z',
    formatMaximum: '9999-12-31T23:59:59Z',
    ...options,
    description: `${options.description ? `${options.description}. ` : ''}RFC 3339 with Z or ±hh:mm, years 0001–9999, no leap second`,
  })
}

/** A calendar date given by a client: YYYY-MM-DD, years 0001–9999. */
export function DateInput(options: { description?: string } = {}) {
  return Type.String({ format: 'date', pattern: `^${DATE_PATTERN}$`, ...options, description: options.description ?? 'YYYY-MM-DD (years 0001–9999)' })
}

/** The widest values of PostgreSQL's integer columns (versions) and of sequences JavaScript counts exactly. */
export const INT32_MAX = 2_147_483_647
export const SEQUENCE_MAX = Number.MAX_SAFE_INTEGER

/**
 * A UUID in its canonical 8-4-4-4-12 form. The `uuid` format alone also admits a `urn:uuid:`
 * prefix, which PostgreSQL's uuid type refuses (that was a 500 instead of a 400).
 */
export function Uuid(options: { description?: string } = {}) {
  return Type.String({ format: 'uuid', pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$', ...options })
}

export const CURSOR_DESCRIPTION =
  'Opaque cursor from the previous page\'s nextCursor, of this list with the same filters; any other is 400 INVALID_CURSOR'

export const PageQuery = {
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'Page size (at most 100)' }),
  cursor: Type.Optional(
    Type.String({ maxLength: 2000, description: CURSOR_DESCRIPTION }),
  ),
}

/**
 * A scalar schema or null, written as a type list (`"type": ["string", "null"]`, OpenAPI 3.1)
 * rather than `anyOf`: the response serialiser then tests for null instead of running a
 * schema validator on every value.
 */
export function nullable<T extends TSchema>(schema: T, options: Record<string, unknown> = {}): TUnsafe<Static<T> | null> {
  const { type, ...rest } = schema as unknown as { type?: unknown }
  if (typeof type !== 'string') throw new Error('nullable() takes a schema with one scalar type')
  return Type.Unsafe<Static<T> | null>({ ...rest, ...options, type: [type, 'null'] } as unknown as TSchema)
}

export const NextCursor = nullable(Type.String(), { description: 'Cursor for the next page; null on the last page' })

/** The examples of a page of the given item: one item and a next cursor. */
export function pageExamples(item: unknown): unknown[] {
  return [{ items: [item], nextCursor: 'WyIyMDI2LTExLTAyVDA5OjE1OjAwLjAwMFoiXQ.J8Ad9cw9lz5IuWyx-k6OCA' }]
}

export function page<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), nextCursor: NextCursor }, { additionalProperties: false })
}

export const sharedSchemas = [FieldErrorSchema, Problem, LanguageMap, SchacCode, CountryCode]

/** Response entries for the given error statuses, all RFC 9457 problem documents. */
export function problemResponses(...statuses: number[]): Record<number, unknown> {
  const responses: Record<number, unknown> = {}
  for (const status of statuses) {
    responses[status] = {
      description: PROBLEM_DESCRIPTIONS[status] ?? 'Error',
      content: { 'application/problem+json': { schema: ref(Problem) } },
    }
  }
  return responses
}

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  304: 'Not modified',
  400: 'The request is malformed or fails validation; every failing field is listed',
  401: 'No credential, or an invalid or revoked one',
  403: 'The credential may not do this',
  404: 'No such resource (or not visible to this caller)',
  409: 'Conflicts with the current state',
  412: 'A precondition (If-Match / If-None-Match) failed',
  413: 'The body is too large',
  415: 'The body is not JSON',
  422: 'Well-formed but breaks a rule; every failing field is listed',
  428: 'The write must be conditional: send If-Match with the ETag of the resource as last read',
  429: 'Too many requests: retry after the Retry-After header\'s seconds',
  500: 'Unexpected error; the request id matches the server log',
  503: 'Not ready or overloaded',
}
