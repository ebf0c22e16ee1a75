import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { Errors, withFieldErrors, type FieldError, type FieldLocation } from '../errors.js'
import { findUnstorableStrings, unstorableStringSteps, type UnstorableString } from '../lib/storable-text.js'

/** Headers whose values the service stores (the others are only compared or ignored). */
const STORED_HEADERS = ['idempotency-key']

/** At most this many offending strings are named: the rest of a hostile body is not walked. */
const REPORTED = 20

/** Walks a value, letting other requests run between steps (a sync body holds ~10^6 values). */
async function unstorableStrings(value: unknown, limit: number): Promise<UnstorableString[]> {
  const steps = unstorableStringSteps(value, limit)
  for (;;) {
    const step = steps.next()
    if (step.done) return step.value
    await new Promise((resolve) => setImmediate(resolve))
  }
}

/** The parts walked at once: small (a path, a query string, a few headers). */
function smallPartsOf(request: FastifyRequest): Array<[FieldLocation, unknown]> {
  const headers: Record<string, unknown> = {}
  for (const name of STORED_HEADERS) if (request.headers[name] !== undefined) headers[name] = request.headers[name]
  return [
    ['path', request.params],
    ['query', request.query],
    ['header', headers],
  ]
}

function refusal(errors: FieldError[]) {
  return withFieldErrors(Errors.validationFailed(`The request has ${errors.length} ${errors.length === 1 ? 'value' : 'values'} that cannot be stored`), errors)
}

/**
 * One check, before any route's validation, of every string a request brings in (path,
 * query, stored headers, JSON body, property names included): a value PostgreSQL cannot store
 * is a 400 naming the field, on every route, instead of a database error. A callback hook:
 * requests without a body (most reads) pay no promise for it.
 */
async function storableInput(app: FastifyInstance) {
  app.addHook('preValidation', (request, _reply, done) => {
    const errors: FieldError[] = []
    for (const [location, value] of smallPartsOf(request)) {
      for (const found of findUnstorableStrings(value, REPORTED - errors.length)) errors.push({ in: location, ...found })
    }
    if (errors.length >= REPORTED || request.body === undefined || request.body === null) {
      done(errors.length > 0 ? refusal(errors) : undefined)
      return
    }
    unstorableStrings(request.body, REPORTED - errors.length).then(
      (found) => {
        for (const each of found) errors.push({ in: 'body', ...each })
        done(errors.length > 0 ? refusal(errors) : undefined)
      },
      (error: Error) => done(error),
    )
  })
}

export default fp(storableInput, { name: 'storable-input', dependencies: ['problems'] })
