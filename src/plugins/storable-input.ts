import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { Errors, withFieldErrors, type FieldError, type FieldLocation } from '../errors.js'
import { findUnstorableStrings } from '../lib/storable-text.js'

/** Headers whose values the service stores (the others are only compared or ignored). */
const STORED_HEADERS = ['idempotency-key']

/** At most this many offending strings are named: the rest of a hostile body is not walked. */
const REPORTED = 20

function partsOf(request: FastifyRequest): Array<[FieldLocation, unknown]> {
  const headers: Record<string, unknown> = {}
  for (const name of STORED_HEADERS) if (request.headers[name] !== undefined) headers[name] = request.headers[name]
  return [
    ['path', request.params],
    ['query', request.query],
    ['header', headers],
    ['body', request.body],
  ]
}

/**
 * One check, before any route's validation, of every string a request brings in (path,
 * query, stored headers, JSON body, property names included): a value PostgreSQL cannot store
 * is a 400 naming the field, on every route, instead of a database error.
 */
async function storableInput(app: FastifyInstance) {
  app.addHook('preValidation', async (request) => {
    const errors: FieldError[] = []
    for (const [location, value] of partsOf(request)) {
      for (const found of findUnstorableStrings(value, REPORTED - errors.length)) errors.push({ in: location, ...found })
    }
    if (errors.length > 0) {
      throw withFieldErrors(Errors.validationFailed(`The request has ${errors.length} ${errors.length === 1 ? 'value' : 'values'} that cannot be stored`), errors)
    }
  })
}

export default fp(storableInput, { name: 'storable-input', dependencies: ['problems'] })
