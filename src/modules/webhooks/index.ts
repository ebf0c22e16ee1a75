// Webhooks: subscriptions to the change feed, signed deliveries, the delivery log, replay.
export { default as webhookDispatcher } from './plugin.js'
export { default as webhookRoutes, type WebhookRoutesOptions } from './routes.js'
export { WebhookPayload, webhookSchemas } from './schemas.js'
export { signedHeaders } from './signing.js'
export { webhookDocumentation } from './documentation.js'
