/** What a credential may do. Reads of public data need no scope at all. */
export const SCOPES = ['catalogue:write', 'recognition:write', 'recognition:read', 'registry:admin'] as const
export type Scope = (typeof SCOPES)[number]

/** Scopes that act for an institution, so only an institution's client may hold them. */
export const INSTITUTION_SCOPES: readonly Scope[] = ['catalogue:write', 'recognition:write']
/** Scopes that act on the whole service, so only an operator client may hold them. */
export const OPERATOR_SCOPES: readonly Scope[] = ['registry:admin']

export interface ScopeViolation {
  index: number
  detail: string
}

/**
 * A client acts for exactly one institution, or for none (an operator). Institution-bound
 * scopes need an institution; operator scopes must not have one.
 */
export function checkScopesForHolder(scopes: readonly Scope[], hasInstitution: boolean): ScopeViolation[] {
  const violations: ScopeViolation[] = []
  scopes.forEach((scope, index) => {
    if (hasInstitution && OPERATOR_SCOPES.includes(scope)) {
      violations.push({ index, detail: `${scope} is for operator clients, which belong to no institution` })
    }
    if (!hasInstitution && INSTITUTION_SCOPES.includes(scope)) {
      violations.push({ index, detail: `${scope} acts for an institution: give the client an institution` })
    }
    if (scopes.indexOf(scope) !== index) violations.push({ index, detail: `${scope} is listed twice` })
  })
  return violations
}
