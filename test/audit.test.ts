import { sql } from 'drizzle-orm'
import t from 'tap'
import { auditLog } from '../src/db/schema.js'
import { createAuditService } from '../src/modules/audit/service.js'
import { admin, bearer, startTestApp } from './helpers/app.js'
import { completeOffer } from './helpers/offers.js'

const ctx = await startTestApp(t)
const { app } = ctx
const db = ctx.database.handle.db
const inject = (method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, headers: Record<string, string>, payload?: object) =>
  app.inject({ method, url, headers, ...(payload ? { payload } : {}) })

await inject('PUT', '/v1/institutions/unibo.it', admin, { name: { en: 'Bologna' }, country: 'IT' })
await inject('PUT', '/v1/institutions/kuleuven.be', admin, { name: { en: 'Leuven' }, country: 'BE' })
const created = (await inject('POST', '/v1/clients', admin, { institution: 'unibo.it', name: 'sync', scopes: ['catalogue:write', 'recognition:read'] })).json()
const bologna = bearer(created.key)
const leuvenClient = (await inject('POST', '/v1/clients', admin, { institution: 'kuleuven.be', name: 'rec', scopes: ['recognition:write', 'recognition:read'] })).json()
const leuven = bearer(leuvenClient.key)

const offer = await inject('PUT', '/v1/institutions/unibo.it/offers/AUD-1', { ...bologna, 'x-request-id': 'req-offer-1' }, completeOffer())
await inject('PUT', '/v1/institutions/unibo.it/offers/AUD-1', bologna, completeOffer()) // unchanged
await inject('POST', '/v1/institutions/unibo.it/offers/sync', bologna, { mode: 'upsert', offers: [{ externalId: 'AUD-2', ...completeOffer() }] })
await inject('DELETE', '/v1/institutions/unibo.it/offers/AUD-2', bologna)
const decision = (await inject('POST', '/v1/recognitions', leuven, {
  offerId: offer.json().id,
  scope: 'individual',
  learnerRef: 'learner-secret-42',
  purpose: 'credit_transfer',
  outcome: 'full',
  creditsRecognised: 3,
})).json()
await inject('POST', `/v1/recognitions/${decision.id}/revoke`, leuven, { reason: 'Entered for the wrong learner' })
const spare = (await inject('POST', '/v1/clients', admin, { institution: 'kuleuven.be', name: 'spare', scopes: ['recognition:read'] })).json()
await inject('DELETE', `/v1/clients/${spare.id}`, admin)

// Two writes sent with the same X-Request-Id.
const sameCaller = { ...bologna, 'x-request-id': 'batch-7' }
const sameFirst = await inject('PUT', '/v1/institutions/unibo.it/offers/AUD-SAME-1', sameCaller, completeOffer())
const sameSecond = await inject('PUT', '/v1/institutions/unibo.it/offers/AUD-SAME-2', sameCaller, completeOffer())

const rows = await db.select().from(auditLog).orderBy(auditLog.id)

t.test('every successful write leaves one record, in its transaction, with who and what', async (t) => {
  t.same(
    rows.map((r) => [r.chain, r.action, r.objectType]),
    [
      ['operators', 'institution.created', 'institution'],
      ['operators', 'institution.created', 'institution'],
      ['operators', 'client.created', 'client'],
      ['operators', 'client.created', 'client'],
      ['unibo.it', 'offer.put', 'offer'],
      ['unibo.it', 'offers.synced', 'catalogue'],
      ['unibo.it', 'offer.withdrawn', 'offer'],
      ['kuleuven.be', 'decision.created', 'decision'],
      ['kuleuven.be', 'decision.revoked', 'decision'],
      ['operators', 'client.created', 'client'],
      ['operators', 'client.revoked', 'client'],
      ['unibo.it', 'offer.put', 'offer'],
      ['unibo.it', 'offer.put', 'offer'],
    ],
    'the unchanged write left nothing',
  )
  const offerRecord = rows.find((r) => r.action === 'offer.put')!
  t.match(offerRecord, { clientId: created.id, institution: 'unibo.it', objectId: offer.json().id, objectVersion: 1, callerRequestId: 'req-offer-1' })
  t.equal(offerRecord.requestId, offer.headers['x-request-id'], 'the server\'s own request id, as the response gave it')
  t.match(rows.find((r) => r.action === 'offers.synced')!.details, { mode: 'upsert', created: 1, unchanged: 0 })
  t.equal(rows[0]!.clientId, null, 'the operator token is not a stored client')
})

t.test('two writes sent with one X-Request-Id keep their own request ids, and the caller\'s apart', async (t) => {
  t.equal(sameFirst.statusCode, 201)
  t.equal(sameSecond.statusCode, 201)
  const ids = [sameFirst.headers['x-request-id'], sameSecond.headers['x-request-id']]
  t.not(ids[0], ids[1])
  const records = (await inject('GET', '/v1/audit?action=offer.put&limit=100', bologna)).json().items
  const batch = records.filter((r: { callerRequestId: string | null }) => r.callerRequestId === 'batch-7')
  t.same(batch.map((r: { requestId: string }) => r.requestId), ids, 'each record has the server\'s id of its own request')
  t.ok(ids.every((id) => /^[0-9a-f-]{36}$/.test(String(id))))
  t.equal(records.find((r: { objectId: string }) => r.objectId === offer.json().id).callerRequestId, 'req-offer-1')
})

t.test('no learner reference in clear, no key material', async (t) => {
  const text = JSON.stringify(rows)
  t.notMatch(text, 'learner-secret-42')
  t.notMatch(text, created.key)
  t.notMatch(text, created.key.slice(13))
})

t.test('the database refuses to change or delete audit records', async (t) => {
  for (const statement of [sql`update audit_log set action = 'x'`, sql`delete from audit_log`, sql`truncate audit_log`]) {
    const error = await db.execute(statement).then(() => undefined, (e: { cause?: Error }) => e.cause)
    t.match(error?.message, /audit_log is append-only/)
  }
  t.equal((await db.select().from(auditLog)).length, rows.length)
})

t.test('institutions read their own records; operators read all', async (t) => {
  const own = (await inject('GET', '/v1/audit?limit=100', bologna)).json()
  t.ok(own.items.length > 0)
  t.ok(own.items.every((r: { institution: string }) => r.institution === 'unibo.it'))
  t.equal((await inject('GET', '/v1/audit?institution=kuleuven.be', bologna)).statusCode, 403)
  t.equal((await inject('GET', '/v1/audit', {})).statusCode, 401)
  const all = (await inject('GET', '/v1/audit?limit=100', admin)).json()
  t.equal(all.items.length, rows.length)
  const leuvenOnly = (await inject('GET', '/v1/audit?institution=kuleuven.be&action=decision.revoked', admin)).json()
  t.same(leuvenOnly.items.map((r: { objectId: string }) => r.objectId), [decision.id])
  const paged = (await inject('GET', '/v1/audit?limit=2', admin)).json()
  t.equal(paged.items.length, 2)
  const next = (await inject('GET', `/v1/audit?limit=2&cursor=${encodeURIComponent(paged.nextCursor)}`, admin)).json()
  t.ok(next.items[0].id > paged.items[1].id)
})

t.test('verification walks every chain and finds the first broken link', async (t) => {
  const audit = createAuditService(db)
  const clean = await audit.verify()
  t.ok(clean.every((report) => report.broken === undefined))
  t.same(clean.map((r) => r.chain), ['kuleuven.be', 'operators', 'unibo.it'])

  // Someone with the database owner's rights edits a record behind the service's back.
  const victim = rows.find((r) => r.action === 'offers.synced')!
  await db.execute(sql`alter table audit_log disable trigger audit_log_no_update_or_delete`)
  await db.execute(sql`update audit_log set details = '{"mode":"replace"}' where id = ${victim.id}`)
  await db.execute(sql`alter table audit_log enable trigger audit_log_no_update_or_delete`)
  const tampered = await audit.verify()
  const chain = tampered.find((r) => r.chain === 'unibo.it')!
  t.equal(chain.broken?.id, victim.id)
  t.match(chain.broken?.reason, /does not match its hash/)
  t.ok(tampered.filter((r) => r.chain !== 'unibo.it').every((r) => r.broken === undefined), 'other chains are intact')
})
