import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../../config.js'
import { createSearchIndexer, type SearchIndexer } from './search-indexer.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** This process's search indexer (started with the app unless SEARCH_INDEXER=false). */
    searchIndexer: SearchIndexer
  }
}

/** Creates the search indexer; starts it when the app is ready (if enabled) and stops it when the app begins to close. */
async function searchIndexer(app: FastifyInstance, options: { config: Config['searchIndexer'] }) {
  const indexer = createSearchIndexer(app.db, options.config, app.log)
  app.decorate('searchIndexer', indexer)
  const { enabled, pollIntervalMs, batch } = options.config
  app.addHook('onReady', async () => {
    if (!enabled) {
      app.log.info('search indexer: off in this process (SEARCH_INDEXER=false); another process of the deployment must run it')
      return
    }
    indexer.start()
    app.log.info({ pollIntervalMs, batch }, 'search indexer: running')
  })
  // When the app begins to close, not on close: the database closes in an onClose hook added
  // after this plugin, and onClose hooks run last-added first, so a round could start on a
  // closed pool.
  app.addHook('preClose', async () => indexer.stop())
}

export default fp(searchIndexer, { name: 'search-indexer', dependencies: ['database'] })
