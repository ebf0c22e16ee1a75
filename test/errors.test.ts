import t, { type Test } from 'tap'
import { admin, startTestApp } from './helpers/app.js'

const { app } = await startTestApp(t, {
  config: { bodyLimitBytes: 2048 },
  beforeReady(app) {
    app.get('/test/slow', { config: { access: 'public' }, handlerTimeout: 50 }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 300))
      return 'late'
    })
    app.get('/test/boom', { config: { access: 'public' } }, async () => {
      throw new Error('relation "secret_table" does not exist at /srv/passerelle/src/internal.ts')
    })
  },
})

interface Response {
  statusCode: number
  headers: Record<string, unknown>
  json(): any
}

function assertProblem(t: Test, response: Response, status: number, code: string) {
  t.equal(response.statusCode, status, `status ${status}`)
  t.match(response.headers['content-type'], /^application\/problem\+json/)
  const body = response.json()
  t.equal(body.status, status)
  t.equal(body.code, code)
  t.type(body.type, 'string')
  t.type(body.title, 'string')
  t.type(body.detail, 'string')
  t.type(body.instance, 'string')
  t.equal(body.requestId, response.headers['x-request-id'])
  return body
}

t.test('unknown route is a 404 problem', async (t) => {
  const response = await app.inject({ method: 'GET', url: '/v1/nothing-here' })
  const body = assertProblem(t, response, 404, 'NOT_FOUND')
  t.equal(body.instance, '/v1/nothing-here')
})

t.test('wrong method is a 405 problem with Allow', async (t) => {
  const response = await app.inject({ method: 'POST', url: '/v1/institutions/unibo.it' })
  assertProblem(t, response, 405, 'METHOD_NOT_ALLOWED')
  t.equal(response.headers.allow, 'DELETE, GET, HEAD, PATCH, PUT')
})

t.test('DELETE on an offer by id is a 405 that says which path withdraws it', async (t) => {
  const response = await app.inject({ method: 'DELETE', url: '/v1/offers/00000000-0000-4000-8000-000000000000' })
  const body = assertProblem(t, response, 405, 'METHOD_NOT_ALLOWED')
  t.equal(body.detail, 'DELETE is not allowed here; use GET, HEAD (an offer is withdrawn with DELETE /v1/institutions/{schac}/offers/{externalId})')
})

t.test('a value that must be one constant names it', async (t) => {
  const response = await app.inject({ method: 'POST', url: '/v1/clients', headers: admin, payload: { institution: null, name: 'x', scopes: ['registry:everything'] } })
  const body = assertProblem(t, response, 400, 'VALIDATION_FAILED')
  t.match(body.errors, [{ in: 'body', pointer: '/scopes/0', detail: /^must be "catalogue:write"; or must be "recognition:write"; or / }])
  t.notMatch(JSON.stringify(body), 'equal to constant')
})

t.test('an allowed method on a path that matches a route but finds nothing is a 404, not a 405', async (t) => {
  for (const method of ['GET', 'HEAD'] as const) {
    const response = await app.inject({ method, url: '/docs/static/nope.css' })
    t.equal(response.statusCode, 404, method)
    t.notOk(response.headers.allow, `${method}: no Allow header`)
  }
  assertProblem(t, await app.inject({ method: 'GET', url: '/docs/static/nope.css' }), 404, 'NOT_FOUND')
  const wrongMethod = await app.inject({ method: 'POST', url: '/docs/static/nope.css' })
  assertProblem(t, wrongMethod, 405, 'METHOD_NOT_ALLOWED')
  t.equal(wrongMethod.headers.allow, 'GET, HEAD')
})

t.test('a malformed URL is a 400 problem with the headers every response carries', async (t) => {
  const response = await app.inject({ method: 'GET', url: '/v1/offers/%E0%A4%A' })
  assertProblem(t, response, 400, 'MALFORMED_URL')
  t.equal(response.headers['x-content-type-options'], 'nosniff')
})

t.test('an id that is not a canonical UUID is a 400, never reaching the database', async (t) => {
  const id = 'urn:uuid:6e218905-75e5-47dd-9245-d006cbf5726f'
  for (const response of [
    await app.inject({ method: 'GET', url: `/v1/offers/${id}` }),
    await app.inject({ method: 'GET', url: `/v1/offers/${id}/recognition` }),
    await app.inject({ method: 'POST', url: '/v1/recognitions/status', payload: { offers: [id] } }),
  ]) {
    const body = assertProblem(t, response, 400, 'VALIDATION_FAILED')
    t.ok(body.errors.length > 0)
  }
})

t.test('malformed JSON is a 400 problem', async (t) => {
  const response = await app.inject({
    method: 'PUT',
    url: '/v1/institutions/unibo.it',
    headers: { ...admin, 'content-type': 'application/json' },
    payload: '{"name": {"en": "Bologna"',
  })
  assertProblem(t, response, 400, 'MALFORMED_BODY')
})

t.test('a body that is not JSON is a 415 problem; text/plain too, never reaching validation', async (t) => {
  for (const [contentType, payload] of [
    ['text/xml', '<institution/>'],
    ['text/plain', '{"name": {"en": "Bologna"}, "country": "IT"}'],
  ]) {
    const response = await app.inject({
      method: 'PUT',
      url: '/v1/institutions/unibo.it',
      headers: { ...admin, 'content-type': contentType! },
      payload,
    })
    assertProblem(t, response, 415, 'UNSUPPORTED_MEDIA_TYPE')
  }
})

t.test('an oversized body is a 413 problem', async (t) => {
  const response = await app.inject({
    method: 'PUT',
    url: '/v1/institutions/unibo.it',
    headers: { ...admin, 'content-type': 'application/json' },
    payload: JSON.stringify({ name: { en: 'x'.repeat(4000) }, country: 'IT' }),
  })
  assertProblem(t, response, 413, 'BODY_TOO_LARGE')
})

t.test('validation failures name every failing field by JSON pointer', async (t) => {
  const response = await app.inject({
    method: 'PUT',
    url: '/v1/institutions/unibo.it',
    headers: admin,
    payload: { name: {}, country: 'italy', website: 'ftp://unibo.it', colour: 'red' },
  })
  const body = assertProblem(t, response, 400, 'VALIDATION_FAILED')
  const pointers = body.errors.map((error: { pointer: string }) => error.pointer).sort()
  t.same(pointers, ['/colour', '/country', '/name', '/website'])
  for (const error of body.errors) {
    t.equal(error.in, 'body')
    t.type(error.detail, 'string')
  }
})

t.test('a missing required field is pointed at', async (t) => {
  const response = await app.inject({ method: 'PUT', url: '/v1/institutions/unibo.it', headers: admin, payload: {} })
  const body = assertProblem(t, response, 400, 'VALIDATION_FAILED')
  t.same(body.errors.map((e: { pointer: string }) => e.pointer).sort(), ['/country', '/name'])
})

t.test('bad query and path parameters say where they are', async (t) => {
  const query = await app.inject({ method: 'GET', url: '/v1/institutions?limit=500&colour=red' })
  const body = assertProblem(t, query, 400, 'VALIDATION_FAILED')
  t.same(
    body.errors.map((e: { in: string; pointer: string }) => `${e.in}:${e.pointer}`).sort(),
    ['query:/colour', 'query:/limit'],
  )
  const path = await app.inject({ method: 'GET', url: '/v1/institutions/NOT%20A%20SCHAC' })
  t.same(assertProblem(t, path, 400, 'VALIDATION_FAILED').errors[0].in, 'path')
})

t.test('an unexpected failure shows only a request id, never internals', async (t) => {
  const response = await app.inject({ method: 'GET', url: '/test/boom', headers: { 'x-request-id': 'trace-123' } })
  const body = assertProblem(t, response, 500, 'INTERNAL_ERROR')
  t.match(body.requestId, /^[0-9a-f-]{36}$/, 'the server\'s own id, which the log line carries beside trace-123')
  t.notMatch(response.body, /secret_table|internal\.ts|\/srv\/|relation|stack/)
})

t.test('a handler that takes too long is cut off with a 503 problem', async (t) => {
  const response = await app.inject({ method: 'GET', url: '/test/slow' })
  assertProblem(t, response, 503, 'HANDLER_TIMEOUT')
  t.equal(response.headers['retry-after'], '5')
})

t.test('writes are never cut off by the handler timeout: a 503 must not hide a write that commits', async (t) => {
  const refused: string[] = []
  const slow = await startTestApp(t, {
    config: { handlerTimeoutMs: 300 },
    beforeReady(app) {
      const sleep = () => new Promise((resolve) => setTimeout(resolve, 700))
      app.get('/test/slow-read', { config: { access: 'public' } }, async () => {
        await sleep()
        return 'late'
      })
      app.post('/test/slow-write', { config: { access: 'public' } }, async (_request, reply) => {
        await sleep()
        return reply.code(201).send({ written: true })
      })
      try {
        app.put('/test/timed-write', { config: { access: 'public' }, handlerTimeout: 100 }, async () => 'x')
      } catch (error) {
        refused.push((error as Error).message)
      }
    },
  })
  assertProblem(t, await slow.app.inject({ method: 'GET', url: '/test/slow-read' }), 503, 'HANDLER_TIMEOUT')
  const write = await slow.app.inject({ method: 'POST', url: '/test/slow-write' })
  t.equal(write.statusCode, 201, 'the write runs to its end and reports its real outcome')
  t.same(write.json(), { written: true })
  t.match(refused, [/PUT \/test\/timed-write .*handlerTimeout/], 'a write route may not declare a handler timeout')
})
