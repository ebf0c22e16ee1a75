import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { WebhookConfig } from '../../config.js'
import { createDispatcher, type Dispatcher } from './dispatcher.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** This replica's webhook dispatcher (started with the app when configured). */
    webhookDispatcher: Dispatcher
  }
}

/** Creates the dispatcher; starts it when the app is ready (if configured) and stops it when the app begins to close. */
async function webhookDispatcher(app: FastifyInstance, options: { config: WebhookConfig }) {
  const dispatcher = createDispatcher(app.db, options.config, app.log)
  app.decorate('webhookDispatcher', dispatcher)
  if (options.config.dispatcher) app.addHook('onReady', async () => dispatcher.start())
  // When the app begins to close: the database closes in an onClose hook added after this
  // plugin (onClose hooks run last-added first), and no round may start on a closed pool.
  app.addHook('preClose', async () => dispatcher.stop())
}

export default fp(webhookDispatcher, { name: 'webhook-dispatcher', dependencies: ['database'] })
