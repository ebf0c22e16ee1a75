import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { sql } from 'drizzle-orm'
import t, { type Test } from 'tap'
import { openDatabase } from '../src/db/client.js'
import { LOCK_FILE } from '../src/db/data-directory-lock.js'
import { runScript } from './helpers/process.js'

// Two PGlite instances on one data folder corrupt it: the second opener must be refused.

function scratchFolder(t: Test): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'passerelle-lock-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** The pid of a process that has ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' })
  return Number(child.stdout)
}

t.test('a second opener of the same data folder is refused until the first closes', async (t) => {
  const dir = scratchFolder(t)
  const first = await openDatabase({ pgliteDataDir: dir })
  t.equal(readFileSync(path.join(dir, LOCK_FILE), 'utf8').trim(), String(process.pid), 'the lock names its holder')

  await t.rejects(openDatabase({ pgliteDataDir: dir }), {
    name: 'DataDirectoryInUseError',
    message: new RegExp(`${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is already open in process ${process.pid}`),
  })
  await first.db.execute(sql`create table kept (n int)`)
  await first.close()
  t.notOk(existsSync(path.join(dir, LOCK_FILE)), 'closing removes the lock')

  const again = await openDatabase({ pgliteDataDir: dir })
  await again.db.execute(sql`insert into kept values (1)`)
  await again.close()
})

t.test('a lock left by a process that is gone is taken over', async (t) => {
  const dir = scratchFolder(t)
  writeFileSync(path.join(dir, LOCK_FILE), `${deadPid()}\n`)
  const database = await openDatabase({ pgliteDataDir: dir })
  t.equal(readFileSync(path.join(dir, LOCK_FILE), 'utf8').trim(), String(process.pid))
  await database.close()
})

t.test('a lock naming this pid that this process does not hold is stale (a restarted container)', async (t) => {
  const dir = scratchFolder(t)
  writeFileSync(path.join(dir, LOCK_FILE), `${process.pid}\n`)
  const database = await openDatabase({ pgliteDataDir: dir })
  await database.close()
  t.notOk(existsSync(path.join(dir, LOCK_FILE)))
})

t.test('the admin command line refuses a data folder the server has open, saying why', async (t) => {
  const dir = scratchFolder(t)
  const server = await openDatabase({ pgliteDataDir: dir })
  t.teardown(() => server.close())
  const result = await runScript('scripts/admin.ts', ['institutions', 'list'], { PGLITE_DATA_DIR: dir })
  t.equal(result.code, 1)
  t.match(result.stderr, `is already open in process ${process.pid}`)
  t.notMatch(result.stderr, /\n\s+at /, 'a message, not a stack trace')
  t.equal(readFileSync(path.join(dir, LOCK_FILE), 'utf8').trim(), String(process.pid), 'the holder keeps its lock')
})
