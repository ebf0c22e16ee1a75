import { existsSync, rmSync } from 'node:fs'
import path from 'node:path'
import t from 'tap'
import { createTestDatabase } from './helpers/database.js'
import { databaseEnv, runScript, startServer } from './helpers/process.js'

t.test('a bad variable stops start-up with a message naming it', async (t) => {
  const result = await runScript('src/server.ts', [], { PORT: 'eighty', LOG_LEVEL: 'loud', CORS_ORIGINS: 'portal.example.eu' })
  t.equal(result.code, 78)
  t.match(result.stderr, /PORT must be an integer from 0 to 65535 \(got "eighty"\)/)
  t.match(result.stderr, /LOG_LEVEL must be one of/)
  t.match(result.stderr, /CORS_ORIGINS entry "portal\.example\.eu"/)
})

t.test('the server migrates, serves, and on SIGTERM finishes in-flight requests and exits 0', async (t) => {
  const database = await createTestDatabase()
  t.teardown(() => database.drop())
  const server = await startServer({ ...databaseEnv(database.url), SEED_DEMO: 'true' })
  t.match(server.output(), /Demo data loaded/)

  const ready = await fetch(`${server.url}/health/ready`)
  t.equal(ready.status, 200)
  t.match(await ready.json(), { status: 'ok' })

  const institutions = await fetch(`${server.url}/v1/institutions?alliance=una-europa`)
  t.equal(institutions.status, 200)
  t.ok(((await institutions.json()) as { items: unknown[] }).items.length > 0, 'demo data is served')

  // A burst of requests, then SIGTERM while they are being answered.
  const burst = Array.from({ length: 40 }, () =>
    fetch(`${server.url}/v1/institutions?limit=100`).then(
      (response) => response.status,
      () => 'refused',
    ),
  )
  await new Promise((resolve) => setTimeout(resolve, 5))
  server.child.kill('SIGTERM')
  const outcomes = await Promise.all(burst)
  t.ok(outcomes.every((outcome) => outcome === 200 || outcome === 503 || outcome === 'refused'), `outcomes: ${outcomes.join(',')}`)
  t.ok(outcomes.includes(200), 'requests accepted before the signal were answered')
  t.equal(await server.exited, 0, `exits 0\n${server.output()}`)
})

t.test('without DATABASE_URL it serves the embedded database: demo data, docs, one process per folder', async (t) => {
  const env = databaseEnv(undefined)
  const folder = env.PGLITE_DATA_DIR!
  t.teardown(() => rmSync(folder, { recursive: true, force: true }))
  const server = await startServer({ ...env, SEED_DEMO: 'true' })

  const ready = await fetch(`${server.url}/health/ready`)
  t.same(await ready.json(), { status: 'ok', database: 'pglite' })
  const offers = (await (await fetch(`${server.url}/v1/offers?limit=5`)).json()) as { items: unknown[] }
  t.ok(offers.items.length > 0, 'demo offers are served')
  t.equal((await fetch(`${server.url}/docs/`)).status, 200, 'the docs page')
  t.ok(existsSync(path.join(folder, 'demo-keys.json')), 'demo keys are written next to the data')

  const second = await runScript('scripts/admin.ts', ['institutions', 'list'], env)
  t.equal(second.code, 1, 'a second process on the same folder is refused')
  t.match(second.stderr, /already open in process \d+/)

  server.child.kill('SIGTERM')
  t.equal(await server.exited, 0, server.output())
  t.notOk(existsSync(path.join(folder, 'passerelle.lock')), 'the lock goes with the server')
  const after = await runScript('scripts/admin.ts', ['institutions', 'list'], env)
  t.equal(after.code, 0, after.stderr)
  t.match(after.stdout, /helsinki\.fi/)
})
