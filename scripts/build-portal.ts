// `npm run build`'s second half: the portal's bundle into dist/portal/ (see scripts/lib/portal-build.ts).
import { gzipSync } from 'node:zlib'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { buildPortal } from './lib/portal-build.js'

const outDir = path.resolve(import.meta.dirname, '../dist/portal')
const bundle = await buildPortal(outDir)
const shipped = Object.keys(bundle.sizes).filter((file) => !file.endsWith('.map'))
const gzipped = shipped.reduce((sum, file) => sum + gzipSync(readFileSync(path.join(outDir, file))).length, 0)
process.stderr.write(`portal: ${shipped.map((file) => `${file} ${bundle.sizes[file]} B`).join(', ')} (${gzipped} B gzipped) in dist/portal/\n`)
