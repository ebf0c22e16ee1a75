// Bundles the portal (src/portal/) with esbuild: one script and one stylesheet, minified, named
// by a hash of their content (served as immutable), and index.html naming them. `npm run build`
// writes it into dist/portal/; tests write it into a directory of their own.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { build } from 'esbuild'

const SOURCE = path.resolve(import.meta.dirname, '../../src/portal')

export interface PortalBundle {
  outDir: string
  /** Bytes of each file written, by name. */
  sizes: Record<string, number>
}

export async function buildPortal(outDir: string): Promise<PortalBundle> {
  rmSync(outDir, { recursive: true, force: true })
  mkdirSync(outDir, { recursive: true })
  const result = await build({
    entryPoints: { app: path.join(SOURCE, 'main.tsx'), style: path.join(SOURCE, 'portal.css') },
    outdir: outDir,
    entryNames: '[name]-[hash]',
    bundle: true,
    format: 'esm',
    target: ['es2022', 'chrome111', 'firefox115', 'safari16'],
    minify: true,
    sourcemap: 'linked',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    tsconfig: path.join(SOURCE, 'tsconfig.json'),
    metafile: true,
    legalComments: 'none',
    logLevel: 'warning',
  })
  const outputs = Object.keys(result.metafile.outputs).map((file) => path.basename(file))
  const script = outputs.find((file) => /^app-.*\.js$/.test(file))
  const style = outputs.find((file) => /^style-.*\.css$/.test(file))
  if (!script || !style) throw new Error(`esbuild wrote no script or stylesheet: ${outputs.join(', ')}`)
  const html = readFileSync(path.join(SOURCE, 'index.html'), 'utf8').replace('{{script}}', script).replace('{{style}}', style)
  writeFileSync(path.join(outDir, 'index.html'), html)
  const sizes: Record<string, number> = { 'index.html': Buffer.byteLength(html) }
  for (const [file, output] of Object.entries(result.metafile.outputs)) sizes[path.basename(file)] = output.bytes
  return { outDir, sizes }
}
