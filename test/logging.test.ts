import { Writable } from 'node:stream'
import { sql } from 'drizzle-orm'
import t from 'tap'
import { loggerOptions } from '../src/logging.js'
import { admin, startTestApp, testConfig } from './helpers/app.js'

const lines: Record<string, unknown>[] = []
const stream = new Writable({
  write(chunk, _encoding, done) {
    for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line))
    done()
  },
})

const config = testConfig({ logLevel: 'info' })
const ctx = await startTestApp(t, {
  logger: { ...(loggerOptions(config) as object), stream },
  beforeReady(app) {
    // A query that fails on its parameter: the database's message quotes the value.
    app.get('/test/failing-query', { config: { access: 'public' } }, async () => {
      await app.db.execute(sql`select cast(${'pseudonym-in-a-parameter'} as uuid)`)
      return 'unreachable'
    })
  },
})
await ctx.institution('unibo.it', 'IT')

t.test('an incoming X-Request-Id is kept as the caller\'s, on every log line beside the server\'s own id', async (t) => {
  lines.length = 0
  const response = await ctx.app.inject({ method: 'GET', url: '/v1/institutions/unibo.it', headers: { 'x-request-id': 'registrar-batch-42' } })
  const own = response.headers['x-request-id']
  t.match(own, /^[0-9a-f-]{36}$/, 'the response names the server\'s own id')
  t.ok(lines.length >= 2)
  t.ok(lines.every((line) => line.reqId === own && line.callerRequestId === 'registrar-batch-42'))
})

t.test('a malformed X-Request-Id is not kept', async (t) => {
  lines.length = 0
  const response = await ctx.app.inject({ method: 'GET', url: '/health/live', headers: { 'x-request-id': 'bad id\nwith newline' } })
  t.match(response.headers['x-request-id'], /^[0-9a-f-]{36}$/)
  t.ok(lines.every((line) => !('callerRequestId' in line)))
})

t.test('keys and the Authorization header never reach the log', async (t) => {
  const key = await ctx.key('unibo.it', ['catalogue:write'])
  lines.length = 0
  await ctx.app.inject({ method: 'GET', url: '/v1/institutions', headers: { authorization: `Bearer ${key}` } })
  await ctx.app.inject({ method: 'GET', url: '/v1/clients', headers: { authorization: `Bearer ${key}` } })
  await ctx.app.inject({ method: 'POST', url: '/v1/clients', headers: admin, payload: { institution: 'unibo.it', name: 'x', scopes: ['recognition:read'] } })
  const text = JSON.stringify(lines)
  t.ok(lines.length > 0)
  t.notMatch(text, key)
  t.notMatch(text, key.slice(13))
  t.notMatch(text, admin.authorization.slice(7))
})

t.test('query strings are logged without their values', async (t) => {
  lines.length = 0
  const response = await ctx.app.inject({ method: 'GET', url: '/v1/offers?q=pseudonym-in-a-query&limit=5' })
  t.equal(response.statusCode, 200)
  const incoming = lines.find((line) => line.msg === 'incoming request') as { req: { url: string } } | undefined
  t.ok(incoming, 'the request is logged')
  t.equal(incoming?.req.url, '/v1/offers?q=[redacted]&limit=[redacted]', 'the path and the parameter names remain')
  t.notMatch(JSON.stringify(lines), 'pseudonym-in-a-query')
})

t.test('a failed query is logged by its database error code, never its parameters or the database message', async (t) => {
  lines.length = 0
  const response = await ctx.app.inject({ method: 'GET', url: '/test/failing-query?learnerRef=pseudonym-in-a-query' })
  t.equal(response.statusCode, 500)
  const failure = lines.find((line) => line.msg === 'request failed') as { err: Record<string, any> } | undefined
  t.ok(failure, 'the failure is logged')
  t.equal(failure?.err.cause?.code, '22P02', 'the SQLSTATE says what went wrong')
  t.match(failure?.err.query, /cast\(\$1 as uuid\)/, 'the statement, with placeholders, says where')
  const text = JSON.stringify(lines)
  t.notMatch(text, 'pseudonym-in-a-parameter')
  t.notMatch(text, 'pseudonym-in-a-query')
})
