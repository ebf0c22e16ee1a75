/** What a credential may do. Reads of public data need no scope at all. */
export const SCOPES = ['catalogue:write', 'recognition:write', 'recognition:read', 'registry:admin', 'webhooks:manage'] as const
export type Scope = (typeof SCOPES)[number]

/**
 * Scopes that act for an institution, so only an institution's client may hold them (an
 * operator holding one would be granted nothing: recognition:read reads an institution's own
 * individual decisions).
 */
export const INSTITUTION_SCOPES: readonly Scope[] = ['catalogue:write', 'recognition:write', 'recognition:read']
/** Scopes that act on the whole service, so only an operator client may hold them. */
export const OPERATOR_SCOPES: readonly Scope[] = ['registry:admin']

// webhooks:manage is in neither list: an institution's client subscribes to what it may read
// (public changes and its institution's private ones), an operator client to public changes.
// A subscription belongs to a client, so the ADMIN_TOKEN (no client) cannot hold one.
