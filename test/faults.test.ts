import http from 'node:http'
import { eq, inArray } from 'drizzle-orm'
import pg from 'pg'
import t, { type Test } from 'tap'
import { offerVersions, offers } from '../src/db/schema.js'
import { SYSTEM_ACTOR } from '../src/lib/caller.js'
import { createClientService } from '../src/modules/clients/index.js'
import { runWrite } from '../src/modules/journal/index.js'
import { createRegistryService } from '../src/modules/registry/index.js'
import { syntheticOffer } from '../scripts/lib/synthetic-offers.js'
import { createTestDatabase } from './helpers/database.js'
import { databaseEnv, startServer, type ServerProcess } from './helpers/process.js'
import { requires } from './helpers/requires.js'

/**
 * A bulk sync interrupted at random points — the client gone, the backend connection
 * terminated, the server process killed — leaves the catalogue as it was before or as it is
 * after, never in between; a retry with the same Idempotency-Key then completes it once.
 */
// The server runs as its own process on the test's database, which PGlite cannot share.
await requires(t, 'postgres')
const database = await createTestDatabase()
t.teardown(() => database.drop())
const db = database.handle.db
const env = { ...databaseEnv(database.url), SEED_DEMO: 'false' }
let server: ServerProcess = await startServer(env)
t.teardown(() => {
  server.child.kill('SIGKILL')
})

const BEFORE = 300
const AFTER_NEW = 1500
let faultsInjected = 0

/** A catalogue of BEFORE offers, then a sync changing a third of them and adding AFTER_NEW. */
async function scenario(schac: string) {
  await runWrite(db, SYSTEM_ACTOR, (write) => createRegistryService(db).putInstitution(write, schac, { name: { en: schac }, country: 'BE' }, {}))
  const clients = createClientService(db)
  const { key } = await runWrite(db, SYSTEM_ACTOR, (write) => clients.create(write, { institution: schac, name: 'faults', scopes: ['catalogue:write'] }))
  const initial = Array.from({ length: BEFORE }, (_, i) => syntheticOffer(i))
  const first = await send(schac, key, { mode: 'upsert', offers: initial }, undefined)
  if (first.status !== 200) throw new Error(first.body)
  const next = [
    ...initial.map((offer, i) => (i % 3 === 0 ? { ...offer, title: { en: `Changed ${i}` } } : offer)),
    ...Array.from({ length: AFTER_NEW }, (_, i) => syntheticOffer(BEFORE + i)),
  ]
  return { key, body: JSON.stringify({ mode: 'upsert', offers: next }) }
}

/** before: BEFORE offers at version 1; after: all of them, the changed third at version 2. */
async function catalogueState(schac: string): Promise<'before' | 'after' | string> {
  const rows = await db.select({ id: offers.id, externalId: offers.externalId, version: offers.version }).from(offers).where(eq(offers.institutionSchac, schac))
  const versions = rows.length === 0 ? [] : await db.select({ offerId: offerVersions.offerId }).from(offerVersions).where(inArray(offerVersions.offerId, rows.map((r) => r.id)))
  const changed = rows.filter((r) => r.version === 2).length
  if (rows.length === BEFORE && changed === 0 && versions.length === BEFORE) return 'before'
  if (rows.length === BEFORE + AFTER_NEW && changed === BEFORE / 3 && versions.length === BEFORE + AFTER_NEW + BEFORE / 3) return 'after'
  return `between: ${rows.length} offers, ${changed} at version 2, ${versions.length} versions`
}

function send(
  schac: string,
  key: string,
  body: object | string,
  idempotencyKey: string | undefined,
  abortAfterMs?: number,
  abortMidUpload = false,
) {
  return new Promise<{ status: number; body: string }>((resolve) => {
    const payload = typeof body === 'string' ? body : JSON.stringify(body)
    const request = http.request(`${server.url}/v1/institutions/${schac}/offers/sync`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(payload),
        ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
      },
    })
    request.on('response', (response) => {
      let text = ''
      response.on('data', (chunk) => (text += chunk))
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }))
      response.on('error', () => resolve({ status: 0, body: 'aborted' }))
    })
    request.on('error', () => resolve({ status: 0, body: 'connection lost' }))
    if (abortMidUpload) {
      // Half the body, then the client is gone: the server never sees a whole request.
      request.write(payload.slice(0, payload.length / 2))
      setTimeout(() => request.destroy(), abortAfterMs ?? 0)
      return
    }
    request.end(payload)
    if (abortAfterMs !== undefined) setTimeout(() => request.destroy(), abortAfterMs)
  })
}

/**
 * The retry a client makes: while the first attempt is still running (on a busy machine it can
 * outlive the 1.5 s the tests wait), 409 IDEMPOTENCY_KEY_IN_PROGRESS says to retry later.
 */
async function retryWhileInProgress(schac: string, key: string, body: string, idempotencyKey: string) {
  const deadline = Date.now() + 30_000
  for (;;) {
    const response = await send(schac, key, body, idempotencyKey)
    if (response.status !== 409 || !response.body.includes('IDEMPOTENCY_KEY_IN_PROGRESS') || Date.now() > deadline) return response
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
}

async function retryCompletesOnce(t: Test, schac: string, key: string, body: string, idempotencyKey: string) {
  const retry = await retryWhileInProgress(schac, key, body, idempotencyKey)
  t.equal(retry.status, 200, `the retry succeeds: ${retry.body.slice(0, 200)}`)
  t.equal(await catalogueState(schac), 'after', 'applied exactly once')
  const again = await send(schac, key, body, idempotencyKey)
  t.equal(again.status, 200)
  t.equal(await catalogueState(schac), 'after')
}

const random = (max: number) => Math.floor(Math.random() * max)

t.test('the client goes away mid-sync', async (t) => {
  for (let run = 0; run < 4; run++) {
    const schac = `abort${run}.example`
    const { key, body } = await scenario(schac)
    const delay = random(400)
    const result = await send(schac, key, body, `abort-${run}`, delay, run % 2 === 0)
    faultsInjected++
    await new Promise((resolve) => setTimeout(resolve, 1500))
    const state = await catalogueState(schac)
    t.ok(state === 'before' || state === 'after', `aborted after ${delay} ms (status ${result.status}): ${state}`)
    await retryCompletesOnce(t, schac, key, body, `abort-${run}`)
  }
})

t.test('the backend connection is terminated mid-sync', async (t) => {
  if (database.url === undefined) return t.comment('needs the PostgreSQL server')
  const name = new URL(database.url).pathname.slice(1)
  for (let run = 0; run < 3; run++) {
    const schac = `terminated${run}.example`
    const { key, body } = await scenario(schac)
    const pending = send(schac, key, body, `terminate-${run}`)
    const killer = new pg.Client({ connectionString: database.url })
    await killer.connect()
    let terminated = 0
    const deadline = Date.now() + 5000
    await new Promise((resolve) => setTimeout(resolve, random(150)))
    while (terminated === 0 && Date.now() < deadline) {
      const result = await killer.query(
        `select count(pg_terminate_backend(pid)) as n from pg_stat_activity
          where datname = $1 and pid <> pg_backend_pid() and state in ('active', 'idle in transaction')`,
        [name],
      )
      terminated = Number(result.rows[0].n)
    }
    await killer.end()
    faultsInjected += terminated > 0 ? 1 : 0
    const result = await pending
    const state = await catalogueState(schac)
    t.ok(state === 'before' || state === 'after', `terminated ${terminated} backend(s) (status ${result.status}): ${state}`)
    // Unless the connection was lost during the COMMIT itself, which the service says (503
    // WRITE_OUTCOME_UNKNOWN) and the keyed retry below settles.
    if (result.status !== 200 && !result.body.includes('WRITE_OUTCOME_UNKNOWN')) t.equal(state, 'before', 'a failed sync wrote nothing')
    await retryCompletesOnce(t, schac, key, body, `terminate-${run}`)
  }
})

t.test('the server process is killed mid-sync', async (t) => {
  for (let run = 0; run < 2; run++) {
    const schac = `killed${run}.example`
    const { key, body } = await scenario(schac)
    const pending = send(schac, key, body, `kill-${run}`)
    await new Promise((resolve) => setTimeout(resolve, 50 + random(300)))
    server.child.kill('SIGKILL')
    faultsInjected++
    const result = await pending
    await server.exited
    const state = await catalogueState(schac)
    t.ok(state === 'before' || state === 'after', `killed (status ${result.status}): ${state}`)
    server = await startServer(env)
    await retryCompletesOnce(t, schac, key, body, `kill-${run}`)
  }
})

t.teardown(() => {
  t.comment(`faults injected: ${faultsInjected}; every catalogue ended before or after, never between`)
})
