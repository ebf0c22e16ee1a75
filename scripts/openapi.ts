// Writes openapi/openapi.json from the code, and openapi/types.d.ts (the typed client's
// declarations, see scripts/lib/openapi-types.ts) from it; `--check` fails instead when either
// file is stale.
import { readFileSync, writeFileSync } from 'node:fs'
import { OPENAPI_FILE, generateOpenApiDocument } from '../src/openapi-document.js'
import { OPENAPI_TYPES_FILE, generateOpenApiTypes } from './lib/openapi-types.js'

const document = await generateOpenApiDocument()
const files = [
  { url: OPENAPI_FILE, name: 'openapi/openapi.json', text: document },
  { url: OPENAPI_TYPES_FILE, name: 'openapi/types.d.ts', text: await generateOpenApiTypes(document) },
]
if (process.argv.includes('--check')) {
  let stale = false
  for (const file of files) {
    let committed = ''
    try {
      committed = readFileSync(file.url, 'utf8')
    } catch {}
    if (committed !== file.text) {
      process.stderr.write(`${file.name} is stale: run \`npm run openapi\` and commit the result\n`)
      stale = true
    }
  }
  if (stale) process.exit(1)
  process.stdout.write('openapi/openapi.json and openapi/types.d.ts match the code\n')
} else {
  for (const file of files) {
    writeFileSync(file.url, file.text)
    process.stdout.write(`wrote ${file.name}\n`)
  }
}
