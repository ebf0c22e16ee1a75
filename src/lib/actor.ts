/** Who performs a write: from the credential (and the request), never from the body. */
export interface Actor {
  /** The institution the credential acts for; null for operators. */
  institution: string | null
  /** The API client; null for the operator's ADMIN_TOKEN and for the system itself. */
  clientId: string | null
  requestId: string | null
  /** Operator credentials (registry:admin). */
  operator: boolean
}

/** Writes made by the service itself (demo data, set-up), outside any request. */
export const SYSTEM_ACTOR: Actor = { institution: null, clientId: null, requestId: null, operator: false }

/** The service itself acting for an institution (demo data, measurements). */
export function actingFor(institution: string): Actor {
  return { ...SYSTEM_ACTOR, institution }
}

/** The audit chain an actor's records go to: its institution, or the operators', or the system's. */
export function chainOf(actor: Actor): string {
  return actor.institution ?? (actor.operator ? 'operators' : 'system')
}
