import t from 'tap'
import { ADMIN_TOKEN, admin, bearer, startTestApp } from './helpers/app.js'
import { completeOffer } from './helpers/offers.js'
import { rawRequest } from './helpers/raw-http.js'

const ctx = await startTestApp(t)
const { app } = ctx
await ctx.institution('unibo.it', 'IT')
const bologna = bearer(await ctx.key('unibo.it', ['catalogue:write']))

const put = (payload: object) => app.inject({ method: 'PUT', url: '/v1/institutions/unibo.it/offers/PARSING-1', headers: bologna, payload })

t.test('JSON bodies are taken as sent: a string or an array is no number', async (t) => {
  for (const ects of ['5', [5]]) {
    const response = await put(completeOffer({ ects, workloadHours: 125 }))
    t.equal(response.statusCode, 400, JSON.stringify(ects))
    t.equal(response.json().code, 'VALIDATION_FAILED')
    t.same(response.json().errors.map((e: { in: string; pointer: string }) => `${e.in}:${e.pointer}`), ['body:/ects'])
  }
  const wrapped = await app.inject({ method: 'POST', url: '/v1/recognitions/status', payload: { offers: '6e218905-75e5-47dd-9245-d006cbf5726f' } })
  t.equal(wrapped.statusCode, 400, 'a single value is not wrapped into the array the body needs')
  const flag = await put(completeOffer({ status: ['draft'] }))
  t.equal(flag.statusCode, 400)
})

t.test('query strings and path parameters are still read as their types', async (t) => {
  const created = await put(completeOffer({ ects: 5, workloadHours: 125 }))
  t.equal(created.statusCode, 201)
  const search = await app.inject({ method: 'GET', url: '/v1/offers?eqfLevel=7&ectsMin=4.5&stackable=false&limit=5' })
  t.equal(search.statusCode, 200)
  t.equal(search.json().items.length, 1)
  const version = await app.inject({ method: 'GET', url: `/v1/offers/${created.json().id}/versions/1` })
  t.equal(version.statusCode, 200, 'the version number in the path is a number')
})

const rawGet = (path: string, headers: Record<string, string | string[]>) => rawRequest(app, { method: 'GET', path, headers })

t.test('over a real connection', async (t) => {
  await app.listen({ port: 0, host: '127.0.0.1' })

  t.test('two Authorization headers are refused, whichever comes first', async (t) => {
    for (const headers of [[`Bearer ${ADMIN_TOKEN}`, 'Bearer psl_other'], ['Bearer psl_other', `Bearer ${ADMIN_TOKEN}`]]) {
      const response = await rawGet('/v1/audit', { authorization: headers })
      t.equal(response.status, 400, response.body.slice(0, 200))
      const problem = JSON.parse(response.body)
      t.equal(problem.code, 'VALIDATION_FAILED')
      t.same(problem.errors.map((e: { in: string; pointer: string }) => `${e.in}:${e.pointer}`), ['header:/authorization'])
    }
    const one = await rawGet('/v1/audit', { authorization: `Bearer ${ADMIN_TOKEN}` })
    t.equal(one.status, 200, 'one is fine')
  })

  t.test('a path that climbs out of the documentation files is refused with a code that says so', async (t) => {
    for (const path of ['/docs/static/../package.json', '/docs/static/../../package.json', '/docs/static/%2e%2e/%2e%2e/package.json']) {
      const response = await rawGet(path, {})
      t.equal(response.status, 403, path)
      const problem = JSON.parse(response.body)
      t.equal(problem.code, 'FORBIDDEN', path)
      t.notMatch(response.body, /MALFORMED_BODY|"name":\s*"passerelle"/)
    }
  })
})

t.test('an operator client holding only scopes that act for an institution is refused', async (t) => {
  for (const body of [
    { name: 'reads nothing', scopes: ['recognition:read'] },
    { institution: null, name: 'reads nothing', scopes: ['recognition:read'] },
    { name: 'operator reading decisions', scopes: ['registry:admin', 'recognition:read'] },
  ]) {
    const response = await app.inject({ method: 'POST', url: '/v1/clients', headers: admin, payload: body })
    t.equal(response.statusCode, 422, JSON.stringify(body))
    t.equal(response.json().code, 'UNPROCESSABLE')
    const pointer = body.scopes.length === 1 ? '/scopes/0' : '/scopes/1'
    t.match(response.json().errors, [{ in: 'body', pointer, detail: /recognition:read acts for an institution/ }])
  }
  const operator = await app.inject({ method: 'POST', url: '/v1/clients', headers: admin, payload: { name: 'operator', scopes: ['registry:admin'] } })
  t.equal(operator.statusCode, 201, 'an operator client with the operator scope is fine')
})
