import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Scope } from '../../lib/scopes.js'
import { hashKey, looksLikeKey } from './keys.js'
import { clientRepository } from './repository.js'

/** What a stored API key stands for. */
export interface Credential {
  clientId: string
  institution: string | null
  scopes: readonly Scope[]
}

export interface CredentialResolver {
  /** The active client an API key belongs to; null for an unknown or revoked key. */
  resolve(key: string): Promise<Credential | null>
}

declare module 'fastify' {
  interface FastifyInstance {
    credentials: CredentialResolver
  }
}

/** Decorates the app with the resolver of API keys that the auth plugin relies on. */
async function credentials(app: FastifyInstance) {
  app.decorate('credentials', {
    async resolve(key: string): Promise<Credential | null> {
      if (!looksLikeKey(key)) return null
      const client = await clientRepository.findActiveByKeyHash(app.db, hashKey(key))
      if (!client) return null
      return { clientId: client.id, institution: client.institutionSchac, scopes: client.scopes as Scope[] }
    },
  } satisfies CredentialResolver)
}

export default fp(credentials, { name: 'credentials', dependencies: ['database'] })
