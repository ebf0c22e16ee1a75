import { INSTITUTION_SCOPES, OPERATOR_SCOPES, type Scope } from '../../lib/scopes.js'

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
