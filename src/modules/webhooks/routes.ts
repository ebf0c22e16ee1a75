import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { WebhookConfig } from '../../config.js'
import { Errors, withExtensions } from '../../errors.js'
import { etagOf } from '../../lib/preconditions.js'
import { ETAG_HEADER, NOT_MODIFIED, ReadConditionHeaders, WriteConditionHeaders } from '../../plugins/conditional.js'
import { IdempotencyHeaders } from '../../plugins/writes.js'
import { Uuid, problemResponses, ref } from '../../schemas.js'
import {
  CreatedWebhookSubscription,
  RotatedWebhookSecret,
  WebhookDelivery,
  WebhookDeliveryPage,
  WebhookListQuery,
  WebhookReplay,
  WebhookReplayInput,
  WebhookSubscription,
  WebhookSubscriptionInput,
  WebhookSubscriptionPage,
} from './schemas.js'
import { createWebhookService, toDelivery, toSubscription } from './service.js'

export interface WebhookRoutesOptions {
  config: WebhookConfig
}

/**
 * A secret is shown once: a retry with the same Idempotency-Key creates nothing more and
 * names what the first request made, without the secret (rotate it if it was lost).
 */
const createdSubscriptionSecret = {
  store: ({ secret: _secret, ...subscription }: CreatedWebhookSubscription) => subscription,
  replay(stored: unknown): never {
    const { id } = stored as { id: string }
    throw withExtensions(
      Errors.secretNotReplayable(`This request already created webhook subscription ${id}; its secret was shown only in that response. Rotate the secret if it was lost.`),
      { subscription: id },
    )
  },
}
const rotatedSecret = {
  store: ({ previousSecretExpiresAt }: { secret: string; previousSecretExpiresAt: string }) => ({ previousSecretExpiresAt }),
  replay(): never {
    throw Errors.secretNotReplayable('This request already rotated the secret; the new one was shown only in that response. Rotate again if it was lost.')
  },
}

const IdParams = Type.Object({ id: Uuid() }, { additionalProperties: false })
const DeliveryParams = Type.Object({ id: Uuid(), deliveryId: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) }, { additionalProperties: false })
const access = { access: 'webhooks:manage' as const }
const tags = ['webhooks']

const webhookRoutes: FastifyPluginAsyncTypebox<WebhookRoutesOptions> = async (app, options) => {
  const webhooks = createWebhookService(app.db, options.config)

  // Subscriptions and secrets are private to their client.
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store')
  })

  app.post(
    '/v1/webhooks',
    {
      config: access,
      schema: {
        operationId: 'createWebhookSubscription',
        tags,
        summary: 'Subscribe to changes (the signing secret is shown only in this response)',
        description: 'The subscription belongs to the calling client and receives the changes after it is made that the client may read.',
        headers: IdempotencyHeaders,
        body: ref(WebhookSubscriptionInput),
        response: { 201: ref(CreatedWebhookSubscription), ...problemResponses(409, 422) },
      },
    },
    async (request, reply) =>
      reply.sendWrite(async (write) => ({ status: 201, body: await webhooks.create(write, request.body) }), {
        secret: createdSubscriptionSecret,
        headers: (body) => ({ location: `/v1/webhooks/${body.id}` }),
      }),
  )

  app.get(
    '/v1/webhooks',
    {
      config: access,
      schema: { operationId: 'listWebhookSubscriptions', tags, summary: 'The calling client\'s webhook subscriptions', querystring: WebhookListQuery, response: { 200: ref(WebhookSubscriptionPage) } },
    },
    async (request) => {
      const { cursor, limit } = request.query
      return app.page({
        request,
        cursor,
        limit,
        scope: { client: request.caller.clientId },
        fetch: (after) => webhooks.list(request.caller, after?.[0] as string | undefined, limit),
        position: (row) => [row.id],
        item: toSubscription,
      })
    },
  )

  app.get(
    '/v1/webhooks/:id',
    {
      config: access,
      schema: {
        operationId: 'getWebhookSubscription',
        tags,
        summary: 'One webhook subscription',
        params: IdParams,
        headers: ReadConditionHeaders,
        response: { 200: { ...ref(WebhookSubscription), description: 'The subscription', headers: ETAG_HEADER }, ...NOT_MODIFIED, ...problemResponses(404) },
      },
    },
    async (request, reply) => {
      const subscription = await webhooks.get(request.caller, request.params.id)
      return reply.sendTagged(etagOf(subscription.version), subscription)
    },
  )

  app.put(
    '/v1/webhooks/:id',
    {
      config: access,
      schema: {
        operationId: 'updateWebhookSubscription',
        tags,
        summary: 'Change a subscription\'s URL, events or filters (its secret and status stay)',
        params: IdParams,
        headers: WriteConditionHeaders,
        body: ref(WebhookSubscriptionInput),
        response: { 200: ref(WebhookSubscription), ...problemResponses(404, 412, 422) },
      },
    },
    async (request, reply) =>
      reply.sendWrite(async (write) => {
        const body = await webhooks.update(write, request.params.id, request.body, request.preconditions)
        return { status: 200, body, etag: etagOf(body.version) }
      }),
  )

  app.delete(
    '/v1/webhooks/:id',
    {
      config: access,
      schema: {
        operationId: 'deleteWebhookSubscription',
        tags,
        summary: 'Delete a subscription and its delivery log',
        params: IdParams,
        headers: WriteConditionHeaders,
        response: { 204: { description: 'Deleted', type: 'null' }, ...problemResponses(404, 412) },
      },
    },
    async (request, reply) =>
      reply.sendWrite(async (write) => {
        await webhooks.remove(write, request.params.id, request.preconditions)
        return { status: 204, body: null }
      }),
  )

  app.post(
    '/v1/webhooks/:id/pause',
    {
      config: access,
      schema: {
        operationId: 'pauseWebhookSubscription',
        tags,
        summary: 'Stop delivering (events keep being queued and are delivered on resume)',
        params: IdParams,
        response: { 200: ref(WebhookSubscription), ...problemResponses(404, 409) },
      },
    },
    async (request, reply) => reply.sendWrite(async (write) => ({ status: 200, body: await webhooks.pause(write, request.params.id) }), { idempotent: false }),
  )

  app.post(
    '/v1/webhooks/:id/resume',
    {
      config: access,
      schema: {
        operationId: 'resumeWebhookSubscription',
        tags,
        summary: 'Resume a paused subscription, or re-enable a disabled one',
        params: IdParams,
        response: { 200: ref(WebhookSubscription), ...problemResponses(404) },
      },
    },
    async (request, reply) => reply.sendWrite(async (write) => ({ status: 200, body: await webhooks.resume(write, request.params.id) }), { idempotent: false }),
  )

  app.post(
    '/v1/webhooks/:id/rotate-secret',
    {
      config: access,
      schema: {
        operationId: 'rotateWebhookSecret',
        tags,
        summary: 'A new signing secret (shown only in this response); the old one also signs until previousSecretExpiresAt',
        headers: IdempotencyHeaders,
        params: IdParams,
        response: { 200: ref(RotatedWebhookSecret), ...problemResponses(404, 409) },
      },
    },
    async (request, reply) => reply.sendWrite(async (write) => ({ status: 200, body: await webhooks.rotateSecret(write, request.params.id) }), { secret: rotatedSecret }),
  )

  app.post(
    '/v1/webhooks/:id/ping',
    {
      config: access,
      schema: {
        operationId: 'pingWebhookSubscription',
        tags,
        summary: 'Queue a signed test message (`webhook.ping`); its outcome shows in the delivery log',
        headers: IdempotencyHeaders,
        params: IdParams,
        response: { 202: ref(WebhookDelivery), ...problemResponses(404) },
      },
    },
    async (request, reply) => reply.sendWrite(async (write) => ({ status: 202, body: await webhooks.ping(write, request.params.id) })),
  )

  app.get(
    '/v1/webhooks/:id/deliveries',
    {
      config: access,
      schema: {
        operationId: 'listWebhookDeliveries',
        tags,
        summary: 'The delivery log, newest first: each delivery with its attempts (status, duration, error, start of the response)',
        params: IdParams,
        querystring: WebhookListQuery,
        response: { 200: ref(WebhookDeliveryPage), ...problemResponses(404) },
      },
    },
    async (request) => {
      const { cursor, limit } = request.query
      let attempts = new Map<number, Parameters<typeof toDelivery>[1]>()
      return app.page({
        request,
        cursor,
        limit,
        scope: { client: request.caller.clientId, subscription: request.params.id },
        fetch: async (after) => {
          const found = await webhooks.deliveries(request.caller, request.params.id, after?.[0] as number | undefined, limit)
          attempts = found.attempts
          return found.rows
        },
        position: (row) => [row.id],
        item: (row) => toDelivery(row, attempts.get(row.id) ?? []),
      })
    },
  )

  app.post(
    '/v1/webhooks/:id/deliveries/:deliveryId/redeliver',
    {
      config: access,
      schema: {
        operationId: 'redeliverWebhookDelivery',
        tags,
        summary: 'Send one event again (same webhook-id and body, a fresh signature); does not count toward disabling',
        headers: IdempotencyHeaders,
        params: DeliveryParams,
        response: { 202: ref(WebhookDelivery), ...problemResponses(404) },
      },
    },
    async (request, reply) =>
      reply.sendWrite(async (write) => ({ status: 202, body: await webhooks.redeliver(write, request.params.id, request.params.deliveryId) })),
  )

  app.post(
    '/v1/webhooks/:id/replay',
    {
      config: access,
      schema: {
        operationId: 'replayWebhookEvents',
        tags,
        summary: 'Queue again the events of a range of the feed this subscription receives (up to 1,000 entries looked at per request)',
        headers: IdempotencyHeaders,
        params: IdParams,
        body: ref(WebhookReplayInput),
        response: { 202: ref(WebhookReplay), ...problemResponses(404, 409) },
      },
    },
    async (request, reply) => reply.sendWrite(async (write) => ({ status: 202, body: await webhooks.replay(write, request.params.id, request.body) })),
  )
}

export default webhookRoutes
