import t from 'tap'
import { createTestDatabase } from './helpers/database.js'
import { databaseEnv, runScript } from './helpers/process.js'

for (const kind of ['the test database', 'an embedded database'] as const) {
  t.test(`seeding with --force is all or nothing, and says which way it went (${kind})`, async (t) => {
    const target = kind === 'the test database' ? await createTestDatabase() : undefined
    if (target) t.teardown(() => target.drop())
    const targetEnv = databaseEnv(target?.url)
    const run = (file: string, ...args: string[]) => runScript(file, args, targetEnv)
    const first = await run('scripts/seed.ts')
    t.equal(first.code, 0, first.stderr)
    t.match(first.stdout, /Demo data loaded/)
    // Someone has changed the demo since: the seed would put it back before being refused.
    const cut = await run('scripts/admin.ts', 'alliances', 'put', 'una-europa', '--name', 'Una Europa', '--members', 'unibo.it,kuleuven.be', '--yes')
    t.equal(cut.code, 0, cut.stderr)
    const before = await run('scripts/admin.ts', 'alliances', 'list', '--json')

    // The demo's decisions are in force already: the second seed is refused part-way through.
    const again = await run('scripts/seed.ts', '--force')
    t.equal(again.code, 1)
    t.match(again.stderr, /^Seeding failed and nothing was written \(the demo data is loaded in one transaction\): DECISION_IN_FORCE: /)
    t.equal(again.stderr.trim().split('\n').length, 1, 'one line, no stack trace')
    const after = await run('scripts/admin.ts', 'alliances', 'list', '--json')
    t.equal(after.stdout, before.stdout, 'the registry is exactly as it was (same members, versions and dates)')
    const clients = await run('scripts/admin.ts', 'clients', 'list', '--json')
    t.equal(JSON.parse(clients.stdout).length, 3, 'no new API client')
  })
}
