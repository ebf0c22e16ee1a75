import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { Errors, withExtensions } from '../../errors.js'
import { IdempotencyHeaders } from '../../plugins/writes.js'
import { Uuid, problemResponses, ref } from '../../schemas.js'
import { Client, ClientInput, ClientListQuery, ClientPage, CreatedClient } from './schemas.js'
import { createClientService, toClient } from './service.js'

/**
 * A key is stored only as its hash, so a retry with the same Idempotency-Key cannot show it
 * again: it creates nothing and names the client made the first time (to revoke it and
 * create another, if the key was lost).
 */
const createdClientSecret = {
  store: ({ key: _key, ...client }: CreatedClient) => client,
  replay(stored: unknown): never {
    const { id } = stored as Client
    throw withExtensions(
      Errors.secretNotReplayable(`This request already created client ${id}; its key was shown only in that response and is not kept. Revoke the client and create another if the key was lost.`),
      { client: id },
    )
  },
}

const IdParams = Type.Object({ id: Uuid() }, { additionalProperties: false })

const clientRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const clients = createClientService(app.db)

  // Key material and client lists are never to be cached by a browser or proxy.
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store')
  })

  app.post(
    '/v1/clients',
    {
      config: { access: 'registry:admin' },
      schema: {
        operationId: 'createClient',
        tags: ['clients'],
        summary: 'Create an API client and its key (the key is shown only in this response)',
        headers: IdempotencyHeaders,
        body: ref(ClientInput),
        response: { 201: ref(CreatedClient), ...problemResponses(409, 422) },
      },
    },
    async (request, reply) => {
      return reply.sendWrite(async (write) => ({ status: 201, body: await clients.create(write, request.body) }), {
        secret: createdClientSecret,
      })
    },
  )

  app.get(
    '/v1/clients',
    {
      config: { access: 'registry:admin' },
      schema: {
        operationId: 'listClients',
        tags: ['clients'],
        summary: 'List API clients (never their keys)',
        querystring: ClientListQuery,
        response: { 200: ref(ClientPage) },
      },
    },
    async (request) => {
      const { cursor, limit, ...filters } = request.query
      return app.page({
        request,
        cursor,
        limit,
        scope: filters,
        fetch: (after) => clients.list({ ...filters, after, limit }),
        position: (row) => [row.id],
        item: toClient,
      })
    },
  )

  app.delete(
    '/v1/clients/:id',
    {
      config: { access: 'registry:admin' },
      schema: {
        operationId: 'revokeClient',
        tags: ['clients'],
        summary: 'Revoke a client\'s key at once (the client stays listed as revoked)',
        params: IdParams,
        response: { 200: ref(Client), ...problemResponses(404) },
      },
    },
    async (request, reply) => reply.sendWrite(async (write) => ({ status: 200, body: await clients.revoke(write, request.params.id) })),
  )
}

export default clientRoutes
