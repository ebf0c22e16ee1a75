// Writes openapi/openapi.json from the code; `--check` fails instead when the file is stale.
import { readFileSync, writeFileSync } from 'node:fs'
import { OPENAPI_FILE, generateOpenApiDocument } from '../src/openapi-document.js'

const document = await generateOpenApiDocument()
if (process.argv.includes('--check')) {
  let committed = ''
  try {
    committed = readFileSync(OPENAPI_FILE, 'utf8')
  } catch {}
  if (committed !== document) {
    process.stderr.write('openapi/openapi.json is stale: run `npm run openapi` and commit the result\n')
    process.exit(1)
  }
  process.stdout.write('openapi/openapi.json matches the code\n')
} else {
  writeFileSync(OPENAPI_FILE, document)
  process.stdout.write('wrote openapi/openapi.json\n')
}
