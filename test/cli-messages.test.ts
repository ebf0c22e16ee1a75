import { spawn } from 'node:child_process'
import t from 'tap'
import { SYSTEM_ACTOR } from '../src/lib/caller.js'
import { createClientService } from '../src/modules/clients/index.js'
import { runWrite } from '../src/modules/journal/index.js'
import { createRegistryService } from '../src/modules/registry/index.js'
import { createTestDatabase } from './helpers/database.js'
import { databaseEnv, runScript, withDatabaseOf } from './helpers/process.js'
import { requires } from './helpers/requires.js'

/** What the command lines say to a newcomer: a mistyped option, a closed pipe, keys and revoked clients. */
const database = await createTestDatabase()
t.teardown(() => database.drop())
const env = databaseEnv(database.url)
const admin = (...args: string[]) => runScript('scripts/admin.ts', args, env)
// Two clients of Bologna, one of them revoked, written in-process (each command-line run costs seconds).
const [shown, revoked] = await withDatabaseOf(env, async (db) => {
  await runWrite(db, SYSTEM_ACTOR, (write) => createRegistryService(db).putInstitution(write, 'unibo.it', { name: { en: 'University of Bologna' }, country: 'IT' }, {}))
  const clients = createClientService(db)
  const create = (name: string) => runWrite(db, SYSTEM_ACTOR, (write) => clients.create(write, { institution: 'unibo.it', name, scopes: ['recognition:read'] }))
  const created = [await create('Prefix shown'), await create('Revoked one')]
  await runWrite(db, SYSTEM_ACTOR, (write) => clients.revoke(write, created[1]!.id))
  return created
})

t.test('the command lines answer a mistyped option with one line, and stop quietly on a closed pipe', async (t) => {
  for (const [script, command] of [['scripts/admin.ts', 'admin'], ['scripts/sync.ts', 'sync']]) {
    const run = await runScript(script!, ['--colour', 'blue'], env)
    t.equal(run.code, 2)
    t.equal(run.stderr, `Unknown option '--colour' (npm run ${command} -- --help lists the options)\n`)
  }
  // `true` reads nothing and exits at once: the lines the CLI prints (the demo's twenty-odd
  // institutions, one write each) meet a closed pipe.
  const demo = databaseEnv(undefined)
  t.equal((await runScript('scripts/seed.ts', [], demo)).code, 0)
  const piped = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn('sh', ['-c', `"${process.execPath}" --import tsx scripts/admin.ts institutions list | true`], { env: { ...process.env, ...demo } })
    let stderr = ''
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('close', (code) => resolve({ code, stderr }))
  })
  t.equal(piped.stderr, '', 'no EPIPE stack trace')
})

t.test('clients list shows each key\'s prefix and says that revoked clients are left out', async (t) => {
  const listed = await admin('clients', 'list')
  t.match(listed.stdout, new RegExp(`${shown!.id}\\t${shown!.keyPrefix}_…\\tunibo\\.it\\trecognition:read\\tPrefix shown`))
  t.match(listed.stdout, /revoked clients are left out: --include-revoked lists them\)\n$/)
  t.notMatch(listed.stdout, revoked!.id)
  const all = await admin('clients', 'list', '--include-revoked')
  t.match(all.stdout, new RegExp(`${revoked!.id}\\t.*\\tRevoked one\\t\\(revoked\\)`))
})

t.test('the sync command line warns when the key is typed on the command line, not when it comes from PASSERELLE_KEY', async (t) => {
  const args = ['--institution', 'unibo.it', '--url', 'http://127.0.0.1:9', '--file', 'scripts/examples/offers.json']
  const typed = await runScript('scripts/sync.ts', [...args, '--key', 'psl_x'], {})
  t.match(typed.stderr, /^warning: a key given with --key is shown by npm and kept in your shell history; set PASSERELLE_KEY instead\n/)
  const fromEnvironment = await runScript('scripts/sync.ts', args, { PASSERELLE_KEY: 'psl_x' })
  t.notMatch(fromEnvironment.stderr, /warning/)
  t.match(fromEnvironment.stderr, /cannot reach http:\/\/127\.0\.0\.1:9/, 'the key was taken from the environment')
})

t.test('migrating a PostgreSQL database that does not exist, or cannot be reached, says so in one line', async (t) => {
  if (!(await requires(t, 'postgres'))) return
  const missing = new URL(database.url!)
  missing.pathname = '/passerelle_never_created'
  const run = await runScript('scripts/migrate.ts', [], { DATABASE_URL: missing.toString() })
  t.equal(run.code, 1)
  t.equal(run.stderr, `The database "passerelle_never_created" does not exist on ${missing.host}: create it first (createdb passerelle_never_created, or CREATE DATABASE "passerelle_never_created" in psql), then run this again\n`)
  const unreachable = await runScript('scripts/seed.ts', [], { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/passerelle' })
  t.equal(unreachable.code, 1)
  t.equal(unreachable.stderr, 'Cannot reach PostgreSQL at 127.0.0.1:1 (ECONNREFUSED): is it running, and is DATABASE_URL right?\n')

  const empty = await createTestDatabase()
  t.teardown(() => empty.drop())
  const migrated = await runScript('scripts/migrate.ts', [], { DATABASE_URL: empty.url! })
  t.equal(migrated.stdout, 'migrations applied (postgres)\nThe database is empty: npm run seed loads the demo data; npm run admin -- institutions put … registers your own.\n')
})
