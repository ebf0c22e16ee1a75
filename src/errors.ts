import createError, { type FastifyError } from '@fastify/error'

/** Where an offending value sits in the request. */
export type FieldLocation = 'body' | 'query' | 'path' | 'header'

/** One failing field: a JSON Pointer into the part of the request named by `in`. */
export interface FieldError {
  in: FieldLocation
  pointer: string
  detail: string
  /** The rule broken, where a field can break several (e.g. CREDITS_EXCEED_OFFER). */
  code?: string
}

/**
 * The one catalogue of errors the service returns. The code is stable and machine-readable;
 * the message is the problem's `detail` (with `%s` filled from the arguments).
 */
export const Errors = {
  validationFailed: createError('VALIDATION_FAILED', '%s', 400),
  malformedBody: createError('MALFORMED_BODY', '%s', 400),
  malformedUrl: createError('MALFORMED_URL', '%s', 400),
  invalidCursor: createError('INVALID_CURSOR', '%s', 400),
  authenticationRequired: createError('AUTHENTICATION_REQUIRED', '%s', 401),
  invalidCredentials: createError('INVALID_CREDENTIALS', '%s', 401),
  insufficientScope: createError('INSUFFICIENT_SCOPE', '%s', 403),
  forbidden: createError('FORBIDDEN', '%s', 403),
  notFound: createError('NOT_FOUND', '%s', 404),
  methodNotAllowed: createError('METHOD_NOT_ALLOWED', '%s', 405),
  conflict: createError('CONFLICT', '%s', 409),
  resourceInUse: createError('RESOURCE_IN_USE', '%s', 409),
  idempotencyInProgress: createError('IDEMPOTENCY_KEY_IN_PROGRESS', '%s', 409),
  secretNotReplayable: createError('SECRET_NOT_REPLAYABLE', '%s', 409),
  catalogueBusy: createError('CATALOGUE_BUSY', '%s', 409),
  invalidTransition: createError('INVALID_STATUS_TRANSITION', '%s', 409),
  preconditionFailed: createError('PRECONDITION_FAILED', '%s', 412),
  preconditionRequired: createError('PRECONDITION_REQUIRED', '%s', 428),
  bodyTooLarge: createError('BODY_TOO_LARGE', '%s', 413),
  unsupportedMediaType: createError('UNSUPPORTED_MEDIA_TYPE', '%s', 415),
  unprocessable: createError('UNPROCESSABLE', '%s', 422),
  unknownReference: createError('UNKNOWN_REFERENCE', '%s', 422),
  invalidOffer: createError('INVALID_OFFER', '%s', 422),
  invalidRun: createError('INVALID_RUN', '%s', 422),
  offerWithdrawn: createError('OFFER_WITHDRAWN', '%s', 409),
  idempotencyKeyReused: createError('IDEMPOTENCY_KEY_REUSED', '%s', 422),
  syncRejected: createError('SYNC_REJECTED', '%s', 422),
  invalidDecision: createError('INVALID_DECISION', '%s', 422),
  decisionInForce: createError('DECISION_IN_FORCE', '%s', 409),
  decisionNotInForce: createError('DECISION_NOT_IN_FORCE', '%s', 409),
  offerIncomplete: createError('OFFER_INCOMPLETE', '%s', 422),
  exportNotReady: createError('EXPORT_NOT_READY', '%s', 422),
  rateLimited: createError('RATE_LIMITED', '%s', 429),
  notReady: createError('NOT_READY', '%s', 503),
  overloaded: createError('OVERLOADED', 'The service is overloaded; retry shortly', 503),
  handlerTimeout: createError('HANDLER_TIMEOUT', '%s', 503),
  databaseUnavailable: createError('DATABASE_UNAVAILABLE', '%s', 503),
  databaseBusy: createError('DATABASE_BUSY', '%s', 503),
  writeOutcomeUnknown: createError('WRITE_OUTCOME_UNKNOWN', '%s', 503),
  searchBusy: createError('SEARCH_BUSY', '%s', 503),
  searchTimeout: createError('SEARCH_TIMEOUT', '%s', 503),
  internal: createError('INTERNAL_ERROR', '%s', 500),
} as const

export type ServiceError = FastifyError & {
  errors?: FieldError[]
  headers?: Record<string, string>
  /** Further problem members specific to the error (RFC 9457 extension members). */
  extensions?: Record<string, unknown>
}

/** Attaches the failing fields to an error so the problem response lists every one of them. */
export function withFieldErrors<E extends FastifyError>(error: E, errors: FieldError[]): E & ServiceError {
  return Object.assign(error, { errors })
}

/** Attaches response headers that belong to the error (WWW-Authenticate, Allow …). */
export function withHeaders<E extends FastifyError>(error: E, headers: Record<string, string>): E & ServiceError {
  return Object.assign(error, { headers })
}

/** Adds RFC 9457 extension members (e.g. the missing Annex I elements) to the problem. */
export function withExtensions<E extends FastifyError>(error: E, extensions: Record<string, unknown>): E & ServiceError {
  return Object.assign(error, { extensions })
}
