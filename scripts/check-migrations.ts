// Fails when src/db/schema.ts has changes that no committed migration captures: drizzle-kit
// generates into a scratch copy of migrations/ and must find nothing to do.
import { spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

const scratch = mkdtempSync(path.join(tmpdir(), 'passerelle-migrations-'))
try {
  cpSync('migrations', scratch, { recursive: true })
  // drizzle-kit treats --out as relative to the working directory.
  const out = path.relative(process.cwd(), scratch)
  const run = spawnSync(
    'npx',
    ['drizzle-kit', 'generate', '--dialect=postgresql', '--schema=./src/db/schema.ts', `--out=${out}`, '--casing=snake_case'],
    { encoding: 'utf8' },
  )
  const output = `${run.stdout}${run.stderr}`
  if (run.status !== 0 || !output.includes('No schema changes')) {
    process.stderr.write(`${output}\nsrc/db/schema.ts and migrations/ differ: run \`npm run db:generate\` and commit migrations/\n`)
    process.exit(1)
  }
  process.stdout.write('migrations/ matches src/db/schema.ts\n')
} finally {
  rmSync(scratch, { recursive: true, force: true })
}
