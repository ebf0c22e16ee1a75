// Response examples of the clients API (OpenAPI), from the demo data.

/** A client as listed: never its key */
export const CLIENT_EXAMPLE = {
  id: '5b1c2f7e-8a43-4d0e-9a55-2f0c1d6b7e90',
  institution: null,
  name: 'Demo operator',
  scopes: [
    'registry:admin',
  ],
  keyPrefix: 'psl_2fd72918',
  createdAt: '2026-11-02T09:15:00.000Z',
  revokedAt: null,
}
