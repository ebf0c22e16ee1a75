import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { buildPortal, type PortalBundle } from '../../scripts/lib/portal-build.js'

/**
 * The portal's bundle, built by the test itself (esbuild, about a second) into a directory of
 * its own, removed when the test ends: `npm test` on a fresh clone needs no prior `npm run build`,
 * and never serves a stale dist/portal/.
 */
export async function builtPortal(t: { teardown(fn: () => unknown): void }): Promise<PortalBundle> {
  const outDir = mkdtempSync(path.join(tmpdir(), 'passerelle-portal-'))
  t.teardown(() => rmSync(outDir, { recursive: true, force: true }))
  return buildPortal(path.join(outDir, 'portal'))
}
