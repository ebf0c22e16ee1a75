import { sql } from 'drizzle-orm'
import t from 'tap'
import { pgErrorOf } from '../src/db/errors.js'
import { admin, startTestApp } from './helpers/app.js'
import { outcomeCounts, raceAgainstDeletion } from './helpers/races.js'

const { app, database } = await startTestApp(t)

const put = (url: string, payload: object, headers: Record<string, string> = {}) =>
  app.inject({ method: 'PUT', url, payload, headers: { ...admin, ...headers } })

t.test('institutions: create, replace, unchanged, conditional writes and reads', async (t) => {
  const body = { name: { it: 'Università di Bologna', en: 'University of Bologna' }, country: 'IT', erasmusCode: 'I BOLOGNA01' }
  const created = await put('/v1/institutions/unibo.it', body)
  t.equal(created.statusCode, 201)
  t.equal(created.headers.etag, '"1"')
  t.match(created.json(), { schac: 'unibo.it', country: 'IT', website: null, deqarId: null, alliances: [] })

  const same = await put('/v1/institutions/unibo.it', body)
  t.equal(same.statusCode, 200)
  t.equal(same.headers.etag, '"1"', 'an identical write makes no new version')

  const changed = await put('/v1/institutions/unibo.it', { ...body, website: 'https://www.unibo.it' }, { 'if-match': '"1"' })
  t.equal(changed.statusCode, 200)
  t.equal(changed.headers.etag, '"2"')

  const stale = await put('/v1/institutions/unibo.it', { ...body, website: 'https://unibo.it' }, { 'if-match': '"1"' })
  t.equal(stale.statusCode, 412)
  t.equal(stale.json().code, 'PRECONDITION_FAILED')

  const createOnly = await put('/v1/institutions/unibo.it', body, { 'if-none-match': '*' })
  t.equal(createOnly.statusCode, 412)

  const ifMatchMissing = await put('/v1/institutions/nowhere.example', body, { 'if-match': '"1"' })
  t.equal(ifMatchMissing.statusCode, 412)
  t.equal((await app.inject({ method: 'GET', url: '/v1/institutions/nowhere.example' })).statusCode, 404)

  const read = await app.inject({ method: 'GET', url: '/v1/institutions/unibo.it' })
  t.equal(read.statusCode, 200)
  t.equal(read.headers.etag, '"2"')
  t.equal(read.json().website, 'https://www.unibo.it')
  const cached = await app.inject({ method: 'GET', url: '/v1/institutions/unibo.it', headers: { 'if-none-match': '"2"' } })
  t.equal(cached.statusCode, 304)
  t.equal(cached.body, '')
})

t.test('codes unique to one institution are refused on another, naming the field', async (t) => {
  const response = await put('/v1/institutions/unibo-copy.it', { name: { en: 'Copy' }, country: 'IT', erasmusCode: 'I BOLOGNA01' })
  t.equal(response.statusCode, 409)
  t.same(response.json().errors, [{ in: 'body', pointer: '/erasmusCode', detail: 'is already used by another institution' }])
})

t.test('alliances: members must be registered, membership shows on institutions', async (t) => {
  await put('/v1/institutions/kuleuven.be', { name: { en: 'KU Leuven' }, country: 'BE' })
  const unknown = await put('/v1/alliances/una-europa', { name: 'Una Europa', members: ['unibo.it', 'nope.example', 'kuleuven.be', 'gone.example'] })
  t.equal(unknown.statusCode, 422)
  t.equal(unknown.json().code, 'UNKNOWN_REFERENCE')
  t.same(unknown.json().errors.map((e: { pointer: string }) => e.pointer), ['/members/1', '/members/3'])
  t.equal((await app.inject({ method: 'GET', url: '/v1/alliances/una-europa' })).statusCode, 404, 'nothing half-written')

  const created = await put('/v1/alliances/una-europa', { name: 'Una Europa', website: 'https://www.una-europa.eu', members: ['unibo.it', 'kuleuven.be'] })
  t.equal(created.statusCode, 201)
  t.same(created.json().members, ['kuleuven.be', 'unibo.it'])

  const institution = await app.inject({ method: 'GET', url: '/v1/institutions/kuleuven.be' })
  t.same(institution.json().alliances, ['una-europa'])
  t.equal(institution.headers.etag, '"2"', 'joining an alliance is a new version of the institution')

  const smaller = await put('/v1/alliances/una-europa', { name: 'Una Europa', website: 'https://www.una-europa.eu', members: ['unibo.it'] })
  t.equal(smaller.statusCode, 200)
  t.equal(smaller.headers.etag, '"2"', 'a membership change is a new version of the alliance')
  t.same((await app.inject({ method: 'GET', url: '/v1/institutions/kuleuven.be' })).json().alliances, [])

  const removed = await app.inject({ method: 'DELETE', url: '/v1/alliances/una-europa', headers: admin })
  t.equal(removed.statusCode, 204)
  t.equal((await app.inject({ method: 'GET', url: '/v1/alliances/una-europa' })).statusCode, 404)
  t.same((await app.inject({ method: 'GET', url: '/v1/institutions/unibo.it' })).json().alliances, [])
})

t.test('lists filter, and walking every page yields each match exactly once', async (t) => {
  const countries = ['DE', 'FR', 'NL']
  const schacs: string[] = []
  for (let i = 0; i < 45; i++) {
    const schac = `uni${String(i).padStart(2, '0')}.example`
    schacs.push(schac)
    const response = await put(`/v1/institutions/${schac}`, { name: { en: `University ${i}` }, country: countries[i % 3]! })
    t.equal(response.statusCode, 201)
  }
  await put('/v1/alliances/walkers', { name: 'Walkers', members: schacs.filter((_, i) => i % 2 === 0) })
  await put('/v1/alliances/runners', { name: 'Runners', members: schacs.slice(0, 5) })

  async function walk(query: string): Promise<string[]> {
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const url: string = `/v1/institutions?limit=7&${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`
      const response = await app.inject({ method: 'GET', url })
      t.equal(response.statusCode, 200, url)
      const page = response.json()
      t.ok(page.items.length <= 7)
      seen.push(...page.items.map((i: { schac: string }) => i.schac))
      cursor = page.nextCursor
    } while (cursor)
    return seen
  }

  const german = await walk('country=DE')
  t.same(german, schacs.filter((_, i) => i % 3 === 0))
  const walkers = await walk('alliance=walkers')
  t.same(walkers, schacs.filter((_, i) => i % 2 === 0))
  const both = await walk('alliance=walkers&country=FR')
  t.same(both, schacs.filter((_, i) => i % 2 === 0 && i % 3 === 1))

  const alliances = await app.inject({ method: 'GET', url: '/v1/alliances?member=uni02.example' })
  t.same(alliances.json().items.map((a: { slug: string }) => a.slug), ['runners', 'walkers'])
  const limited = await app.inject({ method: 'GET', url: '/v1/alliances?limit=1' })
  t.equal(limited.json().items.length, 1)
  t.type(limited.json().nextCursor, 'string')
})

t.test('cursors are tamper-evident and bound to their filters', async (t) => {
  const first = (await app.inject({ method: 'GET', url: '/v1/institutions?limit=2&country=DE' })).json()
  const cursor: string = first.nextCursor
  t.type(cursor, 'string')

  const otherFilter = await app.inject({ method: 'GET', url: `/v1/institutions?limit=2&country=FR&cursor=${cursor}` })
  t.equal(otherFilter.statusCode, 400)
  t.equal(otherFilter.json().code, 'INVALID_CURSOR')

  const [payload, signature] = cursor.split('.')
  const forged = `${Buffer.from(JSON.stringify(['uni30.example'])).toString('base64url')}.${signature}`
  t.not(forged, `${payload}.${signature}`)
  const tampered = await app.inject({ method: 'GET', url: `/v1/institutions?limit=2&country=DE&cursor=${forged}` })
  t.equal(tampered.statusCode, 400)

  const garbage = await app.inject({ method: 'GET', url: '/v1/institutions?cursor=%%%' })
  t.equal(garbage.statusCode, 400)

  const tooMany = await app.inject({ method: 'GET', url: '/v1/institutions?limit=101' })
  t.equal(tooMany.statusCode, 400, 'above the maximum page size is an error, not a silent cap')
})

t.test('concurrent creates of one institution: one 201, the rest 200, one row', async (t) => {
  const body = { name: { en: 'Race' }, country: 'BE' }
  const responses = await Promise.all(Array.from({ length: 8 }, () => put('/v1/institutions/race.example', body)))
  const statuses = responses.map((r) => r.statusCode).sort()
  t.same(statuses, [200, 200, 200, 200, 200, 200, 200, 201])
  t.ok(responses.every((r) => r.headers.etag === '"1"'))
})

t.test('an institution in an alliance cannot be deleted; the 409 names the alliances', async (t) => {
  await put('/v1/institutions/member.example', { name: { en: 'Member' }, country: 'BE' })
  await put('/v1/alliances/alpha', { name: 'Alpha', members: ['member.example'] })
  await put('/v1/alliances/beta', { name: 'Beta', members: ['member.example'] })
  const alpha = await app.inject({ method: 'GET', url: '/v1/alliances/alpha' })
  const changesBefore = (await app.inject({ method: 'GET', url: '/v1/changes?limit=1000', headers: admin })).json().items.length

  const refused = await app.inject({ method: 'DELETE', url: '/v1/institutions/member.example', headers: admin })
  t.equal(refused.statusCode, 409)
  t.equal(refused.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.match(refused.json(), { code: 'RESOURCE_IN_USE', alliances: ['alpha', 'beta'], clients: 0, offers: 0 })
  t.match(refused.json().detail, /alpha, beta/)

  const after = await app.inject({ method: 'GET', url: '/v1/alliances/alpha' })
  t.same(after.json().members, ['member.example'], 'the membership is untouched')
  t.equal(after.headers.etag, alpha.headers.etag)
  t.equal((await app.inject({ method: 'GET', url: '/v1/institutions/member.example' })).statusCode, 200)
  const changesAfter = (await app.inject({ method: 'GET', url: '/v1/changes?limit=1000', headers: admin })).json().items.length
  t.equal(changesAfter, changesBefore, 'a refused deletion changes nothing')
  const direct = await database.handle.db.execute(sql`delete from institutions where schac = 'member.example'`).catch((error: unknown) => error)
  t.equal(pgErrorOf(direct)?.code, '23503', 'the database refuses it too: memberships do not cascade')

  await put('/v1/alliances/alpha', { name: 'Alpha', members: [] })
  await app.inject({ method: 'DELETE', url: '/v1/alliances/beta', headers: admin })
  const removed = await app.inject({ method: 'DELETE', url: '/v1/institutions/member.example', headers: admin })
  t.equal(removed.statusCode, 204, 'once out of every alliance it can be deleted')

  const operation = (app.swagger() as { paths: Record<string, Record<string, any>> }).paths['/v1/institutions/{schac}']!.delete
  t.ok(operation.responses['409'], 'the refusal is documented')
  t.match(operation.description, /alliance/)
})

t.test('joining an alliance while the institution is deleted: 422 or 409, never a 500', async (t) => {
  const races = await raceAgainstDeletion(app, {
    register: (schac) => put(`/v1/institutions/${schac}`, { name: { en: schac }, country: 'BE' }),
    write: (schac, round, i) => put(`/v1/alliances/race-${round}-${i}`, { name: 'Race', members: [schac] }),
  })
  for (const { schac, write: join, removal } of races) {
    if (join.statusCode === 201) {
      t.equal(removal.statusCode, 409, `${schac}: joined, so not deleted`)
      t.equal(removal.json().code, 'RESOURCE_IN_USE')
    } else {
      t.equal(join.statusCode, 422, `${schac}: ${join.body}`)
      t.match(join.json(), { code: 'UNKNOWN_REFERENCE', errors: [{ pointer: '/members/0' }] })
      t.equal(removal.statusCode, 204, `${schac}: deleted, so not joined`)
    }
  }
  t.comment(`outcomes (join/delete): ${outcomeCounts(races)}`)
})

const patch = (url: string, payload: object | string, headers: Record<string, string> = {}) =>
  app.inject({
    method: 'PATCH',
    url,
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    headers: { ...admin, 'content-type': 'application/merge-patch+json', ...headers },
  })

t.test('PATCH an institution: a JSON Merge Patch keeps what it does not name, and needs If-Match', async (t) => {
  const body = { name: { en: 'Patch University', it: 'Università Patch' }, country: 'IT', website: 'https://patch.example', erasmusCode: 'I PATCH01' }
  const created = await put('/v1/institutions/patch.example', body)
  t.equal(created.statusCode, 201)

  const unconditional = await patch('/v1/institutions/patch.example', { website: 'https://new.patch.example' })
  t.equal(unconditional.statusCode, 428)
  t.equal(unconditional.json().code, 'PRECONDITION_REQUIRED')

  const plainJson = await app.inject({ method: 'PATCH', url: '/v1/institutions/patch.example', payload: { website: null }, headers: { ...admin, 'if-match': '"1"' } })
  t.equal(plainJson.statusCode, 415)
  t.match(plainJson.json().detail, /application\/merge-patch\+json/)

  const patched = await patch('/v1/institutions/patch.example', { website: null, name: { it: null, fr: 'Université Patch' } }, { 'if-match': created.headers.etag as string })
  t.equal(patched.statusCode, 200)
  t.equal(patched.headers.etag, '"2"')
  t.match(patched.json(), { name: { en: 'Patch University', fr: 'Université Patch' }, country: 'IT', website: null, erasmusCode: 'I PATCH01' })
  t.notOk('it' in patched.json().name)

  const stale = await patch('/v1/institutions/patch.example', { country: 'FR' }, { 'if-match': created.headers.etag as string })
  t.equal(stale.statusCode, 412)
  t.equal((await app.inject({ method: 'GET', url: '/v1/institutions/patch.example' })).json().country, 'IT')

  const nameless = await patch('/v1/institutions/patch.example', { name: { en: null, fr: null } }, { 'if-match': '"2"' })
  t.equal(nameless.statusCode, 422)
  t.match(nameless.json().errors, [{ in: 'body', pointer: '/name' }])

  const invalid = await patch('/v1/institutions/patch.example', { country: null, colour: 'red' }, { 'if-match': '"2"' })
  t.equal(invalid.statusCode, 400)
  t.match(invalid.json().errors.map((e: { pointer: string }) => e.pointer).sort(), ['/colour', '/country'])

  const missing = await patch('/v1/institutions/nowhere.example', { country: 'FR' }, { 'if-match': '"1"' })
  t.equal(missing.statusCode, 404)

  const audit = await app.inject({ method: 'GET', url: '/v1/audit?objectType=institution&objectId=patch.example', headers: admin })
  t.same(audit.json().items.map((record: { action: string }) => record.action).sort(), ['institution.created', 'institution.updated'])
})

t.test('PATCH an alliance, and add or remove one member without touching the others', async (t) => {
  for (const schac of ['m1.example', 'm2.example', 'm3.example']) await put(`/v1/institutions/${schac}`, { name: { en: schac }, country: 'BE' })
  const created = await put('/v1/alliances/patchers', { name: 'Patchers', website: 'https://patchers.example', members: ['m1.example', 'm2.example'] })
  t.equal(created.statusCode, 201)

  const renamed = await patch('/v1/alliances/patchers', { name: 'The Patchers' }, { 'if-match': created.headers.etag as string })
  t.equal(renamed.statusCode, 200)
  t.match(renamed.json(), { name: 'The Patchers', website: 'https://patchers.example', members: ['m1.example', 'm2.example'] })
  t.equal((await patch('/v1/alliances/patchers', { website: null })).statusCode, 428)

  const added = await app.inject({ method: 'PUT', url: '/v1/alliances/patchers/members/m3.example', headers: admin })
  t.equal(added.statusCode, 200)
  t.same(added.json().members, ['m1.example', 'm2.example', 'm3.example'])
  t.same((await app.inject({ method: 'GET', url: '/v1/institutions/m3.example' })).json().alliances, ['patchers'])
  const again = await app.inject({ method: 'PUT', url: '/v1/alliances/patchers/members/m3.example', headers: admin })
  t.equal(again.statusCode, 200)
  t.equal(again.headers.etag, added.headers.etag, 'adding a member already there changes nothing')

  const unknown = await app.inject({ method: 'PUT', url: '/v1/alliances/patchers/members/nowhere.example', headers: admin })
  t.equal(unknown.statusCode, 422)
  t.match(unknown.json().errors, [{ in: 'path', pointer: '/schac' }])
  t.equal((await app.inject({ method: 'PUT', url: '/v1/alliances/nowhere/members/m1.example', headers: admin })).statusCode, 404)

  const stale = await app.inject({ method: 'DELETE', url: '/v1/alliances/patchers/members/m1.example', headers: { ...admin, 'if-match': created.headers.etag as string } })
  t.equal(stale.statusCode, 412)
  const removed = await app.inject({ method: 'DELETE', url: '/v1/alliances/patchers/members/m1.example', headers: admin })
  t.equal(removed.statusCode, 200)
  t.same(removed.json().members, ['m2.example', 'm3.example'])
  t.equal((await app.inject({ method: 'DELETE', url: '/v1/alliances/patchers/members/m1.example', headers: admin })).statusCode, 404)

  const audit = await app.inject({ method: 'GET', url: '/v1/audit?objectType=alliance&objectId=patchers', headers: admin })
  t.match(audit.json().items.map((record: { details: unknown }) => record.details), [
    { added: ['m1.example', 'm2.example'], removed: [] },
    { added: [], removed: [] },
    { added: ['m3.example'], removed: [] },
    { added: [], removed: ['m1.example'] },
  ])
})
