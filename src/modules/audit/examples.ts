// Response examples of the audit trail (OpenAPI), from the demo data.

/** The first record of the system chain */
export const AUDIT_RECORD_EXAMPLE = {
  id: 1,
  chain: 'system',
  at: '2026-11-02T09:15:00.000Z',
  clientId: null,
  institution: null,
  action: 'institution.created',
  objectType: 'institution',
  objectId: 'unibo.it',
  objectVersion: 1,
  requestId: null,
  callerRequestId: null,
  details: {},
  prevHash: null,
  hash: '6b3834b64cc89e4433f9db1265c4fa534d1669f27aaec87dba2fbe2b254ba618',
}
