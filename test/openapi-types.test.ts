import { readFileSync } from 'node:fs'
import t from 'tap'
import { OPENAPI_FILE } from '../src/openapi-document.js'
import { OPENAPI_TYPES_FILE, generateOpenApiTypes } from '../scripts/lib/openapi-types.js'

// The portal's typed client (openapi-fetch) is checked against these declarations: stale ones
// would let a portal compile against an API that is no longer served.
t.test('openapi/types.d.ts is what openapi-typescript makes of the committed openapi/openapi.json', async (t) => {
  const types = await generateOpenApiTypes(readFileSync(OPENAPI_FILE, 'utf8'))
  t.equal(readFileSync(OPENAPI_TYPES_FILE, 'utf8'), types, 'run `npm run openapi` and commit the result')
  t.match(types, /^\s+"\/v1\/recognitions\/status": \{/m, 'every path is declared')
  t.match(types, /operations\["searchOffers"\]/)
})
