import net from 'node:net'
import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { buildApp } from '../src/app.js'
import { openDatabase, type DatabaseHandle } from '../src/db/client.js'
import { SYSTEM_ACTOR } from '../src/lib/caller.js'
import { createClientService } from '../src/modules/clients/index.js'
import { runWrite } from '../src/modules/journal/index.js'
import { createRegistryService } from '../src/modules/registry/index.js'
import { bearer, testConfig } from './helpers/app.js'
import { createTestDatabase } from './helpers/database.js'
import { completeOffer } from './helpers/offers.js'

/**
 * The database busy or gone: the service answers 503 with Retry-After and a stable code (never
 * a 500), says so when a write's outcome is unknown, stays live but not ready, logs the outage
 * once with its cause, and recovers by itself when the database is back, having lost nothing
 * it committed. The database is cut off by a TCP proxy of the test's own between the service
 * and PostgreSQL.
 */
const database = await createTestDatabase()
t.teardown(() => database.drop())
if (database.url === undefined) {
  t.comment('needs the PostgreSQL server')
  process.exit(0)
}

/** A TCP proxy to PostgreSQL that can be cut (connections refused) and restored on the same port. */
class Proxy {
  private readonly server = net.createServer((client) => this.accept(client))
  private readonly sockets = new Set<net.Socket>()
  port = 0
  /** When set, the next COMMIT goes through to PostgreSQL but its answer never comes back. */
  loseNextCommitAnswer = false

  constructor(private readonly target: { host: string; port: number }) {}

  async start(port = 0): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve))
    this.port = (this.server.address() as net.AddressInfo).port
  }

  private accept(client: net.Socket) {
    const upstream = net.connect(this.target)
    this.sockets.add(client).add(upstream)
    let commitSent = false
    client.on('data', (chunk) => {
      // A simple-protocol query message ('Q') whose text is COMMIT.
      if (this.loseNextCommitAnswer && chunk[0] === 0x51 && /^commit\b/i.test(chunk.subarray(5).toString('utf8'))) {
        this.loseNextCommitAnswer = false
        commitSent = true
      }
      upstream.write(chunk)
    })
    upstream.on('data', (chunk) => {
      if (commitSent) {
        // PostgreSQL has answered the COMMIT: the client never hears it.
        client.destroy()
        upstream.destroy()
        return
      }
      client.write(chunk)
    })
    const close = () => {
      client.destroy()
      upstream.destroy()
      this.sockets.delete(client)
      this.sockets.delete(upstream)
    }
    client.on('error', close).on('close', close)
    upstream.on('error', close).on('close', close)
  }

  /** PostgreSQL is gone: open connections drop, new ones are refused. */
  async cut(): Promise<void> {
    const closed = new Promise((resolve) => this.server.close(resolve))
    for (const socket of this.sockets) socket.destroy()
    await closed
  }

  async restore(): Promise<void> {
    await this.start(this.port)
  }
}

const target = new URL(database.url)
const proxy = new Proxy({ host: target.hostname, port: Number(target.port || 5432) })
await proxy.start()
t.teardown(() => proxy.cut())
const proxied = new URL(database.url)
proxied.port = String(proxy.port)

const logs: Array<Record<string, any>> = []
const handle: DatabaseHandle = await openDatabase({ databaseUrl: proxied.toString(), poolMax: 3 })
const app: FastifyInstance = await buildApp({
  config: testConfig(),
  database: handle,
  logger: { level: 'debug', stream: { write: (line: string) => { logs.push(JSON.parse(line)) } } },
})
await app.ready()
t.teardown(async () => {
  await app.close()
  await handle.close()
})

const db = database.handle.db
await runWrite(db, SYSTEM_ACTOR, (write) => createRegistryService(db).putInstitution(write, 'unibo.it', { name: { en: 'Bologna' }, country: 'IT' }, {}))
await runWrite(db, SYSTEM_ACTOR, (write) => createRegistryService(db).putInstitution(write, 'kuleuven.be', { name: { en: 'Leuven' }, country: 'BE' }, {}))
const clients = createClientService(db)
const owner = bearer((await runWrite(db, SYSTEM_ACTOR, (write) => clients.create(write, { institution: 'unibo.it', name: 'sync', scopes: ['catalogue:write'] }))).key)
const registrar = bearer((await runWrite(db, SYSTEM_ACTOR, (write) => clients.create(write, { institution: 'kuleuven.be', name: 'registrar', scopes: ['recognition:write', 'recognition:read'] }))).key)

const putOffer = (externalId: string) => app.inject({ method: 'PUT', url: `/v1/institutions/unibo.it/offers/${externalId}`, headers: owner, payload: completeOffer() })

async function eventually(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (await check()) return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`never: ${what}`)
}

t.test('PostgreSQL gone: 503 with Retry-After everywhere, live but not ready, one log line with the cause, recovery without restart', async (t) => {
  const committed = await putOffer('OUT-1')
  t.equal(committed.statusCode, 201)
  const offerId = committed.json().id
  logs.length = 0

  await proxy.cut()
  const answers = [
    await app.inject({ method: 'GET', url: `/v1/offers/${offerId}` }),
    await app.inject({ method: 'GET', url: '/v1/offers?q=data' }),
    await app.inject({ method: 'GET', url: '/v1/clients', headers: owner }),
    await putOffer('OUT-2'),
  ]
  for (const answer of answers) {
    t.equal(answer.statusCode, 503, answer.body)
    t.match(answer.headers['content-type'], /application\/problem\+json/)
    t.equal(answer.json().code, 'DATABASE_UNAVAILABLE')
    t.ok(Number(answer.headers['retry-after']) > 0, 'Retry-After')
  }
  const ready = await app.inject({ method: 'GET', url: '/health/ready' })
  t.equal(ready.statusCode, 503, 'not ready')
  t.equal((await app.inject({ method: 'GET', url: '/health/live' })).statusCode, 200, 'but live')

  const outage = logs.filter((line) => line.level >= 50)
  t.equal(outage.length, 1, `the outage is logged once at error level: ${JSON.stringify(outage)}`)
  t.match(outage[0], { msg: /database/i, cause: { code: /^(ECONNREFUSED|ECONNRESET|57P01)$/ } }, 'with its cause')

  await proxy.restore()
  await eventually('ready again', async () => (await app.inject({ method: 'GET', url: '/health/ready' })).statusCode === 200)
  t.equal((await app.inject({ method: 'GET', url: `/v1/offers/${offerId}` })).statusCode, 200, 'what was committed is still there')
  t.equal((await putOffer('OUT-2')).statusCode, 201, 'the refused write was not applied and now is')
  t.ok(logs.some((line) => line.level === 30 && /database.*(back|reachable)/i.test(line.msg)), 'the recovery is logged')
  t.equal(logs.filter((line) => line.level >= 50).length, 1, 'and nothing more at error level')
})

t.test('a write whose COMMIT was sent but never answered says its outcome is unknown; a retry with the same key replays it', async (t) => {
  const offer = (await putOffer('OUT-3')).json()
  const decision = {
    offerId: offer.id,
    scope: 'ex_ante',
    purpose: 'credit_transfer',
    outcome: 'full',
    creditsRecognised: 3,
  }
  const record = () =>
    app.inject({ method: 'POST', url: '/v1/recognitions', headers: { ...registrar, 'idempotency-key': 'commit-lost-1' }, payload: decision })

  proxy.loseNextCommitAnswer = true
  const lost = await record()
  t.equal(lost.statusCode, 503, lost.body)
  t.equal(lost.json().code, 'WRITE_OUTCOME_UNKNOWN')
  t.match(lost.json().detail, /Idempotency-Key/)
  t.ok(Number(lost.headers['retry-after']) > 0)

  const retry = await record()
  t.equal(retry.statusCode, 201, retry.body)
  t.equal(retry.headers['idempotent-replayed'], 'true', 'the write had happened: the retry replays it')
  const list = await app.inject({ method: 'GET', url: `/v1/recognitions?offer=${offer.id}`, headers: registrar })
  t.equal(list.json().items.length, 1, 'recorded once')
})

t.test('every pooled connection busy: 503 DATABASE_BUSY with Retry-After, not a 500', async (t) => {
  const release: Array<() => void> = []
  const held = Array.from({ length: 3 }, () => handle.db.transaction(() => new Promise<void>((resolve) => release.push(resolve))))
  await eventually('the pool is taken', async () => release.length === 3)
  const answer = await app.inject({ method: 'GET', url: '/v1/institutions' })
  for (const done of release) done()
  await Promise.all(held)
  t.equal(answer.statusCode, 503, answer.body)
  t.equal(answer.json().code, 'DATABASE_BUSY')
  t.ok(Number(answer.headers['retry-after']) > 0)
  t.equal((await app.inject({ method: 'GET', url: '/v1/institutions' })).statusCode, 200, 'and fine once connections are free')
})
