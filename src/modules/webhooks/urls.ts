// Which subscriber URLs are accepted. Pure. Where a URL may connect is checked again at
// connect time (transport.ts): a host name can resolve to anything later.

/** Why the URL is refused, or undefined when it is acceptable. */
export function urlProblem(raw: string, allowHttp: boolean): string | undefined {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return 'not an absolute URL'
  }
  if (url.protocol !== 'https:' && !(allowHttp && url.protocol === 'http:')) {
    return allowHttp ? 'must be an https: or http: URL' : 'must be an https: URL'
  }
  if (url.username !== '' || url.password !== '') return 'must not carry credentials (user:password@)'
  if (url.hash !== '') return 'must not have a fragment'
  if (url.hostname === '') return 'must name a host'
  return undefined
}
