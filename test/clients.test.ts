import { and, eq, sql, type SQL } from 'drizzle-orm'
import t, { type Test } from 'tap'
import { buildApp } from '../src/app.js'
import { apiClients, auditLog } from '../src/db/schema.js'
import { SYSTEM_ACTOR } from '../src/lib/caller.js'
import { writeIn } from '../src/modules/journal/index.js'
import { createClientService, type ClientService } from '../src/modules/clients/service.js'
import { ADMIN_TOKEN, admin, bearer, startTestApp, testConfig } from './helpers/app.js'
import { outcomeCounts, raceAgainstDeletion } from './helpers/races.js'

const ctx = await startTestApp(t)
const { app } = ctx
await ctx.institution('unibo.it', 'IT')

async function createClient(body: object, headers: Record<string, string> = admin) {
  return app.inject({ method: 'POST', url: '/v1/clients', headers, payload: body })
}

t.test('an operator creates a client; the key is shown once and works at once', async (t) => {
  const created = await createClient({ institution: 'unibo.it', name: 'SIS sync', scopes: ['catalogue:write'] })
  t.equal(created.statusCode, 201)
  t.equal(created.headers['cache-control'], 'no-store')
  const client = created.json()
  t.match(client, { institution: 'unibo.it', name: 'SIS sync', scopes: ['catalogue:write'], revokedAt: null })
  t.match(client.key, /^psl_[0-9a-f]{8}_/)
  t.ok(client.key.startsWith(client.keyPrefix), 'the key starts with its visible prefix')

  const listed = await app.inject({ method: 'GET', url: '/v1/clients?institution=unibo.it', headers: admin })
  t.equal(listed.statusCode, 200)
  const item = listed.json().items.find((c: { id: string }) => c.id === client.id)
  t.ok(item)
  t.notOk('key' in item, 'listings never show the key')
  t.notMatch(listed.body, client.key.slice(13), 'no part of the secret appears')
})

/** Every row of every table, as text: a secret must appear nowhere in the database. */
async function databaseDump(t: Test): Promise<string> {
  const query = async <Row>(statement: SQL) => ((await ctx.database.handle.db.execute(statement)) as unknown as { rows: Row[] }).rows
  const tables = await query<{ name: string }>(
    sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
  )
  t.ok(tables.some(({ name }) => name === 'idempotency_keys'), 'the dump covers the schema')
  let dump = ''
  for (const { name } of tables) {
    const [rows] = await query<{ dump: string | null }>(sql`select json_agg(t)::text as dump from ${sql.identifier(name)} t`)
    dump += rows?.dump ?? ''
  }
  return dump
}

t.test('keys are stored only as hashes, in every table', async (t) => {
  const { key } = (await createClient({ institution: 'unibo.it', name: 'hash check', scopes: ['recognition:read'] })).json()
  const stored = await databaseDump(t)
  t.notMatch(stored, key)
  t.notMatch(stored, key.slice(13))
})

t.test('a retry of a client creation never shows or stores the key again', async (t) => {
  const body = { institution: 'unibo.it', name: 'idempotent creation', scopes: ['recognition:read'] }
  const headers = { ...admin, 'idempotency-key': 'create-client-once' }
  const first = await createClient(body, headers)
  t.equal(first.statusCode, 201)
  const { id, key } = first.json()

  const retry = await createClient(body, headers)
  t.equal(retry.statusCode, 409)
  t.match(retry.json(), { code: 'SECRET_NOT_REPLAYABLE', client: id })
  t.notMatch(retry.body, key.slice(13), 'the retry does not show the key')

  const listed = await app.inject({ method: 'GET', url: '/v1/clients?institution=unibo.it', headers: admin })
  t.equal(listed.json().items.filter((c: { name: string }) => c.name === body.name).length, 1, 'the retry created nothing')
  const stored = await databaseDump(t)
  t.match(stored, 'create-client-once', 'the idempotency record is kept')
  t.notMatch(stored, key.slice(13), 'but without the key')

  const other = await createClient({ ...body, name: 'another' }, headers)
  t.equal(other.statusCode, 422, 'the same key with another body is still refused')
  t.equal(other.json().code, 'IDEMPOTENCY_KEY_REUSED')
})

t.test('a revoked key gets 401 on its next request', async (t) => {
  const { id, key } = (await createClient({ name: 'second operator', scopes: ['registry:admin'] })).json()
  const before = await app.inject({ method: 'GET', url: '/v1/clients', headers: bearer(key) })
  t.equal(before.statusCode, 200)

  const revoked = await app.inject({ method: 'DELETE', url: `/v1/clients/${id}`, headers: admin })
  t.equal(revoked.statusCode, 200)
  t.type(revoked.json().revokedAt, 'string')

  const after = await app.inject({ method: 'GET', url: '/v1/clients', headers: bearer(key) })
  t.equal(after.statusCode, 401)
  t.equal(after.json().code, 'INVALID_CREDENTIALS')
  t.match(after.headers['www-authenticate'], /^Bearer realm="passerelle", error="invalid_token"/)

  const listed = await app.inject({ method: 'GET', url: '/v1/clients', headers: admin })
  t.notOk(listed.json().items.some((c: { id: string }) => c.id === id), 'revoked clients are hidden by default')
  const all = await app.inject({ method: 'GET', url: '/v1/clients?includeRevoked=true', headers: admin })
  t.ok(all.json().items.some((c: { id: string }) => c.id === id))

  const unknown = await app.inject({ method: 'DELETE', url: '/v1/clients/00000000-0000-4000-8000-000000000000', headers: admin })
  t.equal(unknown.statusCode, 404)
})

t.test('concurrent revokes of one client all answer 200 with the same revokedAt; one audit record', async (t) => {
  const { id } = (await createClient({ institution: 'unibo.it', name: 'revoked at once', scopes: ['catalogue:write'] })).json()
  const responses = await Promise.all(
    Array.from({ length: 8 }, () => app.inject({ method: 'DELETE', url: `/v1/clients/${id}`, headers: admin })),
  )
  t.same(responses.map((r) => r.statusCode), Array(8).fill(200), 'no revoke fails')
  const revokedAt = new Set(responses.map((r) => r.json().revokedAt))
  t.equal(revokedAt.size, 1, 'every answer shows the one revocation')
  t.type([...revokedAt][0], 'string')
  const records = await ctx.database.handle.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.objectId, id), eq(auditLog.action, 'client.revoked')))
  t.equal(records.length, 1, 'the revocation is journalled once')
})

t.test('missing and malformed credentials are 401 with WWW-Authenticate', async (t) => {
  const missing = await app.inject({ method: 'GET', url: '/v1/clients' })
  t.equal(missing.statusCode, 401)
  t.equal(missing.json().code, 'AUTHENTICATION_REQUIRED')
  t.equal(missing.headers['www-authenticate'], 'Bearer realm="passerelle"')

  for (const authorization of ['Basic dXNlcjpwYXNz', 'Bearer psl_00000000_nope', `Bearer ${ADMIN_TOKEN}x`]) {
    const response = await app.inject({ method: 'GET', url: '/v1/clients', headers: { authorization } })
    t.equal(response.statusCode, 401, authorization)
    t.equal(response.json().code, 'INVALID_CREDENTIALS')
  }

  const publicWithBadKey = await app.inject({ method: 'GET', url: '/v1/institutions', headers: bearer('psl_00000000_nope') })
  t.equal(publicWithBadKey.statusCode, 401, 'a bad key is refused even on public routes')
})

t.test('a client without registry:admin gets 403 on registry and client writes', async (t) => {
  const key = await ctx.key('unibo.it', ['catalogue:write', 'recognition:write', 'recognition:read'])
  const attempts = [
    { method: 'PUT' as const, url: '/v1/institutions/evil.example', payload: { name: { en: 'Evil' }, country: 'BE' } },
    { method: 'DELETE' as const, url: '/v1/institutions/unibo.it' },
    { method: 'PUT' as const, url: '/v1/alliances/evil', payload: { name: 'Evil', members: [] } },
    { method: 'DELETE' as const, url: '/v1/alliances/evil' },
    { method: 'POST' as const, url: '/v1/clients', payload: { name: 'x', scopes: ['registry:admin'] } },
    { method: 'GET' as const, url: '/v1/clients' },
    { method: 'DELETE' as const, url: '/v1/clients/00000000-0000-4000-8000-000000000000' },
  ]
  for (const attempt of attempts) {
    const response = await app.inject({ ...attempt, headers: bearer(key) })
    t.equal(response.statusCode, 403, `${attempt.method} ${attempt.url}`)
    t.equal(response.json().code, 'INSUFFICIENT_SCOPE')
  }
  const stillThere = await app.inject({ method: 'GET', url: '/v1/institutions/unibo.it' })
  t.equal(stillThere.statusCode, 200)
  const noEvil = await app.inject({ method: 'GET', url: '/v1/institutions/evil.example' })
  t.equal(noEvil.statusCode, 404)
})

t.test('scopes must fit the holder, and the institution must exist', async (t) => {
  const operatorWithCatalogue = await createClient({ name: 'x', scopes: ['registry:admin', 'catalogue:write'] })
  t.equal(operatorWithCatalogue.statusCode, 422)
  t.same(operatorWithCatalogue.json().errors.map((e: { pointer: string }) => e.pointer), ['/scopes/1'])

  const institutionWithAdmin = await createClient({ institution: 'nowhere.example', name: 'x', scopes: ['registry:admin', 'registry:admin'] })
  t.equal(institutionWithAdmin.statusCode, 422)
  t.same(
    institutionWithAdmin.json().errors.map((e: { pointer: string }) => e.pointer),
    ['/institution', '/scopes/0', '/scopes/1', '/scopes/1'],
  )

  const unknownScope = await createClient({ institution: 'unibo.it', name: 'x', scopes: ['everything'] })
  t.equal(unknownScope.statusCode, 400)
  t.equal(unknownScope.json().errors[0].pointer, '/scopes/0')
})

t.test('an institution with clients cannot be deleted', async (t) => {
  const response = await app.inject({ method: 'DELETE', url: '/v1/institutions/unibo.it', headers: admin })
  t.equal(response.statusCode, 409)
  t.equal(response.json().code, 'RESOURCE_IN_USE')
})

t.test('creating a client while its institution is deleted: 422 or 409, never a 500', async (t) => {
  const races = await raceAgainstDeletion(app, {
    register: (schac) => ctx.institution(schac),
    write: (schac) => createClient({ institution: schac, name: 'race', scopes: ['catalogue:write'] }),
  })
  for (const { schac, write: creation, removal } of races) {
    if (creation.statusCode === 201) {
      t.equal(removal.statusCode, 409, `${schac}: has a client, so not deleted`)
      t.equal(removal.json().code, 'RESOURCE_IN_USE')
    } else {
      t.equal(creation.statusCode, 422, `${schac}: ${creation.body}`)
      t.match(creation.json(), { code: 'UNPROCESSABLE', errors: [{ pointer: '/institution' }] })
      t.equal(removal.statusCode, 204, `${schac}: deleted, so no client`)
    }
  }
  t.comment(`outcomes (create/delete): ${outcomeCounts(races)}`)
})

t.test('a client is created only in a transaction: it and its audit record commit or roll back together', async (t) => {
  // @ts-expect-error: a write is required (checked by `tsc`); without its transaction, the audit record and its locks ran in autocommit
  const withoutTransaction: Parameters<ClientService['create']> = [SYSTEM_ACTOR, { name: 'x', scopes: ['registry:admin'] }]
  t.equal(withoutTransaction.length, 2)

  const db = ctx.database.handle.db
  const clients = createClientService(db)
  const auditBefore = (await db.select().from(auditLog)).length
  const failed = await db
    .transaction(async (tx) => {
      await writeIn(tx, SYSTEM_ACTOR, (write) => clients.create(write, { institution: 'unibo.it', name: 'rolled back', scopes: ['recognition:read'] }))
      throw new Error('a later step of the same write fails')
    })
    .catch((error: unknown) => error)
  t.match(failed, { message: 'a later step of the same write fails' })
  t.same(await db.select().from(apiClients).where(eq(apiClients.name, 'rolled back')), [], 'no client is left')
  t.equal((await db.select().from(auditLog)).length, auditBefore, 'nor an audit record')
})

t.test('a route without an access rule cannot be registered', async (t) => {
  const another = await buildApp({ config: testConfig(), database: ctx.database.handle, logger: false })
  t.throws(() => another.get('/v1/open', async () => 'oops'), /declares no access rule/)
  t.doesNotThrow(() => another.get('/v1/declared', { config: { access: 'public' } }, async () => 'fine'))
  // Only the documentation plugin's own routes are exempt, not paths that look like them.
  for (const url of ['/docsy/page', '/docs-admin', '/docs/extra']) {
    t.throws(() => another.get(url, async () => 'oops'), /declares no access rule/, url)
  }
  await another.close()
})

t.test('the documentation page is public like any public route: a bad key sent to it is refused', async (t) => {
  t.equal((await app.inject({ method: 'GET', url: '/docs/' })).statusCode, 200)
  const badKey = await app.inject({ method: 'GET', url: '/docs/', headers: { authorization: 'Bearer psl_not-a-real-key' } })
  t.equal(badKey.statusCode, 401)
  t.equal(badKey.json().code, 'INVALID_CREDENTIALS')
})
