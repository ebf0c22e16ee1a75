import http from 'node:http'
import https from 'node:https'
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent'

/** What one attempt gave. */
export interface AttemptResult {
  /** Null when no response came (refused address, connection error, time-out). */
  statusCode: number | null
  durationMs: number
  error: string | null
  /** The start of the response body. */
  responseBody: string | null
  retryAfter: string | undefined
}

export interface TransportOptions {
  timeoutMs: number
  /** Connections kept per origin (keep-alive): as many as deliveries may be under way. */
  maxSocketsPerOrigin: number
  /** Addresses (CIDR) allowed although private or loopback: for tests only. */
  allowedAddresses: string[]
}

const RESPONSE_BODY_LIMIT = 1024

/**
 * Sends webhooks with node:http(s) through agents that check every address a host name
 * resolves to, and literal IPs, at connect time (loopback, private, link-local, metadata and
 * other reserved ranges are refused), so a subscriber URL cannot reach the service's own
 * network, not even by DNS rebinding. Redirects are never followed (node:http does not).
 */
export function createTransport(options: TransportOptions) {
  const filtering = { allowIPAddressList: options.allowedAddresses, keepAlive: true, maxSockets: options.maxSocketsPerOrigin }
  const agents = { http: new RequestFilteringHttpAgent(filtering), https: new RequestFilteringHttpsAgent(filtering) }
  const live = new Set<http.ClientRequest>()

  function send(url: string, headers: Record<string, string>, body: string): Promise<AttemptResult> {
    const started = performance.now()
    const elapsed = () => Math.round(performance.now() - started)
    return new Promise((resolve) => {
      const target = new URL(url)
      const client = target.protocol === 'https:' ? https : http
      let settled = false
      const finish = (result: Omit<AttemptResult, 'durationMs'>) => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        live.delete(request)
        resolve({ ...result, durationMs: elapsed() })
      }
      const request = client.request(target, {
        method: 'POST',
        agent: target.protocol === 'https:' ? agents.https : agents.http,
        headers: { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'Passerelle-Webhooks/1' },
      })
      live.add(request)
      // One deadline for the whole attempt: connecting, sending and reading the answer.
      const timer = setTimeout(() => {
        request.destroy()
        finish({ statusCode: null, error: `no answer within ${options.timeoutMs} ms`, responseBody: null, retryAfter: undefined })
      }, options.timeoutMs)
      request.on('error', (error) => finish({ statusCode: null, error: error.message, responseBody: null, retryAfter: undefined }))
      request.on('response', (response) => {
        const chunks: Buffer[] = []
        let size = 0
        response.on('data', (chunk: Buffer) => {
          if (size < RESPONSE_BODY_LIMIT) chunks.push(chunk)
          size += chunk.length
        })
        const done = (error: string | null) => {
          const text = Buffer.concat(chunks).toString('utf8').slice(0, RESPONSE_BODY_LIMIT)
          const retryAfter = response.headers['retry-after']
          finish({ statusCode: response.statusCode ?? null, error, responseBody: text, retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined })
        }
        response.on('end', () => done(null))
        response.on('error', (error) => done(error.message))
      })
      request.end(body)
    })
  }

  return {
    send,
    /** Aborts every attempt under way (their deliveries are taken up again when their lease ends). */
    abortAll(): void {
      for (const request of live) request.destroy(new Error('dispatcher stopped'))
    },
    close(): void {
      agents.http.destroy()
      agents.https.destroy()
    },
  }
}

export type Transport = ReturnType<typeof createTransport>
