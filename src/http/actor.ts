import type { FastifyRequest } from 'fastify'
import type { Actor } from '../lib/actor.js'

/** The actor of a write: taken from the resolved credential and the request id only. */
export function actorOf(request: FastifyRequest): Actor {
  const principal = request.principal
  return {
    institution: principal?.institution ?? null,
    clientId: principal?.clientId ?? null,
    requestId: String(request.id),
    operator: principal?.scopes.includes('registry:admin') ?? false,
  }
}
