import { existsSync } from 'node:fs'
import path from 'node:path'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance } from 'fastify'

export interface PortalOptions {
  /** The bundle `npm run build` writes (index.html and hashed assets). */
  root: string
}

/** The portal's pages: each is the same index.html; the bundle reads the path. */
export const PORTAL_PAGES = ['/', '/offer/:id', '/registrar'] as const

/** Where the bundle's assets are served. Their names carry a hash of their content. */
export const PORTAL_ASSETS_PREFIX = '/portal/'
const ASSET_NAME = /^[\w-]+(\.[\w-]+)+$/

/**
 * The portal's own policy: everything from this origin, nothing inline, nothing from elsewhere
 * (no CDN, no external font); the API it calls is on the same origin. The API's JSON answers
 * carry no CSP, and the docs page sets its own.
 */
export const PORTAL_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

/**
 * The reference portal (src/portal/, bundled into `root` by `npm run build`): its pages at
 * `PORTAL_PAGES`, its assets under `/portal/`. Encapsulated (no fastify-plugin), so that its
 * CSP covers only its routes. Without a bundle the service runs without the portal, and says
 * so: a test or a deployment that skipped the build still has its API.
 */
export default async function portal(app: FastifyInstance, options: PortalOptions) {
  if (!existsSync(path.join(options.root, 'index.html'))) {
    app.log.warn({ portalDir: options.root }, 'no portal bundle (index.html) in PORTAL_DIR: run `npm run build`; the service runs without the portal')
    return
  }
  await app.register(fastifyStatic, { root: options.root, serve: false })
  app.addHook('onRequest', (_request, reply, done) => {
    reply.header('content-security-policy', PORTAL_CSP)
    done()
  })
  const route = { config: { access: 'public' as const }, schema: { hide: true } }
  for (const page of PORTAL_PAGES) {
    // Revalidated on each visit: it names the current assets.
    app.get(page, route, (_request, reply) => reply.header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false }))
  }
  app.get<{ Params: { file: string } }>(`${PORTAL_ASSETS_PREFIX}:file`, route, (request, reply) => {
    // The bundle's names (app-HASH.js, style-HASH.css, their maps): nothing else, no dot files.
    if (!ASSET_NAME.test(request.params.file)) return reply.callNotFound()
    return reply.sendFile(request.params.file, { immutable: true, maxAge: '365d' })
  })
}
