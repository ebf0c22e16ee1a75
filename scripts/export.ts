// Writes an institution's or an alliance's whole published catalogue as one export file:
//   npm run export -- --institution <schac> | --alliance <slug> --format elm|loq-xml|ob3 --out <file>
// elm: one ELM JSON-LD dataset (Europass, European Digital Credentials); loq-xml: the LOQ XML
// the Qualification Dataset Register verifies against loq.xsd; ob3: a JSON array of
// Open Badges 3.0 Achievements. Offers not ready for the format are left out and listed on
// stderr with what they lack. URIs are built from PUBLIC_BASE_URL.
import { createWriteStream } from 'node:fs'
import { once } from 'node:events'
import { parseArgs } from 'node:util'
import { ConfigError, loadConfig } from '../src/config.js'
import { openDatabase } from '../src/db/client.js'
import { DataDirectoryInUseError } from '../src/db/data-directory-lock.js'
import { DATASET_FORMATS as FORMATS, createExportService, type DatasetFormat } from '../src/modules/exports/index.js'

const USAGE = 'usage: npm run export -- --institution <schac> | --alliance <slug> --format elm|loq-xml|ob3 --out <file>'

class UsageError extends Error {}

function options() {
  const { values } = parseArgs({
    options: { institution: { type: 'string' }, alliance: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' } },
  })
  if ((values.institution === undefined) === (values.alliance === undefined)) throw new UsageError('name either --institution or --alliance')
  if (!FORMATS.includes(values.format as DatasetFormat)) throw new UsageError(`--format is one of ${FORMATS.join(', ')}`)
  if (values.out === undefined) throw new UsageError('--out names the file to write')
  const scope = values.institution !== undefined ? { institution: values.institution } : { alliance: values.alliance! }
  return { scope, format: values.format as DatasetFormat, out: values.out }
}

try {
  const { scope, format, out } = options()
  const config = loadConfig()
  const baseUrl = config.exports.publicBaseUrl ?? `http://${config.host}:${config.port}`
  if (config.exports.publicBaseUrl === undefined) process.stderr.write(`PUBLIC_BASE_URL is not set: URIs start with ${baseUrl}\n`)
  const database = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDataDir: config.pgliteDataDir })
  try {
    const skipped: string[] = []
    let offers = 0
    const file = createWriteStream(out)
    const chunks = createExportService(database.db).dataset(scope, format, {
      baseUrl,
      elmVersion: config.exports.elmVersion,
      skipped: (id, missing) => skipped.push(`  ${id}: ${missing.join(', ')}`),
      included: () => offers++,
    })
    for await (const chunk of chunks) {
      if (!file.write(chunk)) await once(file, 'drain')
    }
    file.end()
    await once(file, 'finish')
    process.stderr.write(`${out}: ${offers} offer(s) as ${format}${skipped.length ? `; ${skipped.length} left out, not ready:\n${skipped.join('\n')}` : ''}\n`)
  } finally {
    await database.close()
  }
} catch (error) {
  if (error instanceof UsageError) process.stderr.write(`${error.message}\n${USAGE}\n`)
  else process.stderr.write(`${error instanceof ConfigError || error instanceof DataDirectoryInUseError ? error.message : error instanceof Error ? error.stack : error}\n`)
  process.exitCode = 1
}
