import { count } from 'drizzle-orm'
import t from 'tap'
import { apiClients } from '../src/db/schema.js'
import { SYSTEM_ACTOR } from '../src/lib/caller.js'
import { runWrite } from '../src/modules/journal/index.js'
import { createRegistryService } from '../src/modules/registry/index.js'
import { createTestDatabase } from './helpers/database.js'
import { databaseEnv, runScript, withDatabaseOf } from './helpers/process.js'

for (const kind of ['the test database', 'an embedded database'] as const) {
  t.test(`seeding with --force is all or nothing, and says which way it went (${kind})`, async (t) => {
    const target = kind === 'the test database' ? await createTestDatabase() : undefined
    if (target) t.teardown(() => target.drop())
    const env = databaseEnv(target?.url)
    const first = await runScript('scripts/seed.ts', [], env)
    t.equal(first.code, 0, first.stderr)
    t.match(first.stdout, /Demo data loaded/)
    const state = () =>
      withDatabaseOf(env, async (db) => ({
        alliances: await createRegistryService(db).listAlliances({ limit: 100 }),
        clients: (await db.select({ n: count() }).from(apiClients))[0]!.n,
      }))
    // Someone has changed the demo since: the seed would put it back before being refused.
    await withDatabaseOf(env, (db) =>
      runWrite(db, SYSTEM_ACTOR, (write) => createRegistryService(db).putAlliance(write, 'una-europa', { name: 'Una Europa', members: ['unibo.it', 'kuleuven.be'] }, {})),
    )
    const before = await state()

    // The demo's decisions are in force already: the second seed is refused part-way through.
    const again = await runScript('scripts/seed.ts', ['--force'], env)
    t.equal(again.code, 1)
    t.match(again.stderr, /^Seeding failed and nothing was written \(the demo data is loaded in one transaction\): DECISION_IN_FORCE: /)
    t.equal(again.stderr.trim().split('\n').length, 1, 'one line, no stack trace')
    const after = await state()
    t.same(after.alliances.find((alliance) => alliance.slug === 'una-europa')!.members, ['kuleuven.be', 'unibo.it'], 'Una Europa was not put back')
    t.same(after, before, 'the registry is exactly as it was (same members and dates), and no API client was added')
  })
}
