// Response examples of the change feed (OpenAPI), from the demo data.

/** A change-feed entry */
export const CHANGE_EXAMPLE = {
  sequence: 21,
  type: 'institution',
  id: 'uni-koeln.de',
  action: 'created',
  version: 1,
  at: '2026-11-02T09:15:00.000Z',
}
