import type { Scope } from './scopes.js'

/**
 * Who is calling, resolved once per request from the credential (never from the body). Reads
 * use it to decide what the caller may see; writes derive their actor from it.
 */
export interface Caller {
  /** The API client; null for anonymous callers and for the operator's ADMIN_TOKEN. */
  readonly clientId: string | null
  /** The institution the credential acts for; null for anonymous callers and operators. */
  readonly institution: string | null
  readonly scopes: readonly Scope[]
  /** Whether a credential was presented and accepted. */
  readonly authenticated: boolean
  has(scope: Scope): boolean
}

export function callerOf(credential: { clientId: string | null; institution: string | null; scopes: readonly Scope[] }): Caller {
  const { clientId, institution, scopes } = credential
  return { clientId, institution, scopes, authenticated: true, has: (scope) => scopes.includes(scope) }
}

/** A caller without a credential: sees public data only. */
export const ANONYMOUS: Caller = { clientId: null, institution: null, scopes: [], authenticated: false, has: () => false }

/** Who performs a write: from the credential (and the request), never from the body. */
export interface Actor {
  /** The institution the credential acts for; null for operators. */
  institution: string | null
  /** The API client; null for the operator's ADMIN_TOKEN and for the system itself. */
  clientId: string | null
  /** The server's own id of the request; null outside HTTP. */
  requestId: string | null
  /** The X-Request-Id the caller sent, if any: its own label, not unique. */
  callerRequestId: string | null
  /** Operator credentials (registry:admin). */
  operator: boolean
}

export function actorOf(caller: Caller, requestId: string, callerRequestId: string | undefined): Actor {
  return {
    institution: caller.institution,
    clientId: caller.clientId,
    requestId,
    callerRequestId: callerRequestId ?? null,
    operator: caller.has('registry:admin'),
  }
}

/** Writes made by the service itself (demo data, set-up), outside any request. */
export const SYSTEM_ACTOR: Actor = { institution: null, clientId: null, requestId: null, callerRequestId: null, operator: false }

/** The service itself acting for an institution (demo data, measurements). */
export function actingFor(institution: string): Actor {
  return { ...SYSTEM_ACTOR, institution }
}
