import t from 'tap'
import { createTestDatabase } from './helpers/database.js'
import { databaseEnv, runScript } from './helpers/process.js'

const database = await createTestDatabase()
t.teardown(() => database.drop())
const env = databaseEnv(database.url)
const admin = (...args: string[]) => runScript('scripts/admin.ts', args, env)

t.test('an operator sets up the registry and a client from the command line', async (t) => {
  const institution = await admin('institutions', 'put', 'unibo.it', '--name', 'en=University of Bologna', '--name', 'it=Università di Bologna', '--country', 'IT', '--json')
  t.equal(institution.code, 0, institution.stderr)
  t.match(JSON.parse(institution.stdout), { schac: 'unibo.it', name: { en: 'University of Bologna', it: 'Università di Bologna' } })

  const alliance = await admin('alliances', 'put', 'una-europa', '--name', 'Una Europa', '--members', 'unibo.it', '--json')
  t.equal(alliance.code, 0, alliance.stderr)
  t.same(JSON.parse(alliance.stdout).members, ['unibo.it'])

  const client = await admin('clients', 'create', '--institution', 'unibo.it', '--name', 'SIS sync', '--scopes', 'catalogue:write', '--json')
  t.equal(client.code, 0, client.stderr)
  const created = JSON.parse(client.stdout)
  t.match(created.key, /^psl_/)

  const listed = await admin('clients', 'list', '--json')
  t.equal(listed.code, 0)
  const clients = JSON.parse(listed.stdout)
  t.same(clients.map((c: { id: string }) => c.id), [created.id])
  t.notMatch(listed.stdout, created.key)

  const revoked = await admin('clients', 'revoke', created.id, '--json')
  t.equal(revoked.code, 0)
  t.type(JSON.parse(revoked.stdout).revokedAt, 'string')

  const human = await admin('institutions', 'list', '--alliance', 'una-europa')
  t.equal(human.code, 0)
  t.match(human.stdout, /unibo\.it\tIT\tUniversity of Bologna/)
})

t.test('an operator checks and repairs the copy ranked search reads', async (t) => {
  const status = await admin('search-index', 'status', '--json')
  t.equal(status.code, 0, status.stderr)
  t.match(JSON.parse(status.stdout), { ranking: /^(rum|ts_rank_cd)$/, pending: 0, oldestQueuedAt: null, lagSeconds: 0 })
  const repair = await admin('search-index', 'repair')
  t.equal(repair.code, 0, repair.stderr)
  t.same(JSON.parse(repair.stdout), { queued: 0 }, 'a catalogue in line: nothing queued')
})

t.test('the command line reports the API\'s errors by field, with a failing exit code', async (t) => {
  const bad = await admin('clients', 'create', '--institution', 'nowhere.example', '--name', 'x', '--scopes', 'registry:admin')
  t.equal(bad.code, 1)
  t.match(bad.stderr, /\/institution: no institution nowhere\.example is registered/)
  t.match(bad.stderr, /\/scopes\/0: registry:admin is for operator clients/)

  const json = await admin('institutions', 'put', 'x.example', '--name', 'en=X', '--country', 'Belgium', '--json')
  t.equal(json.code, 1)
  t.equal(JSON.parse(json.stdout).code, 'VALIDATION_FAILED')

  const usage = await admin('clients', 'create', '--name', 'x', '--scopes', 'registry:admin')
  t.equal(usage.code, 2)
  t.match(usage.stderr, /exactly one of --institution <schac> or --operator/)
})

t.test('seeding refuses a database that holds data, unless forced', async (t) => {
  const refused = await runScript('scripts/seed.ts', [], env)
  t.equal(refused.code, 1)
  t.match(refused.stderr, /already holds data/)

  const empty = await createTestDatabase()
  t.teardown(() => empty.drop())
  const seeded = await runScript('scripts/seed.ts', ['--json'], databaseEnv(empty.url))
  t.equal(seeded.code, 0, seeded.stderr)
  const { keys } = JSON.parse(seeded.stdout)
  t.same(keys.map((k: { role: string }) => k.role.split(' ')[0]), ['operator', 'unibo.it', 'kuleuven.be'])
})
