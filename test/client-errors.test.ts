import net from 'node:net'
import t, { type Test } from 'tap'
import { startTestApp } from './helpers/app.js'

/**
 * What Node answers itself, below Fastify's routing — a request not received within
 * REQUEST_TIMEOUT_MS (headers or body), a malformed header line, headers too large — follows
 * the contract too: a problem document with a stable code, the security headers and a request
 * id. And the timeout is the configured one, not Node's 30-second check interval on top of it.
 */
const REQUEST_TIMEOUT_MS = 1500
const ctx = await startTestApp(t, { config: { requestTimeoutMs: REQUEST_TIMEOUT_MS } })
const address = await ctx.app.listen({ port: 0, host: '127.0.0.1' })
const port = Number(new URL(address).port)
await ctx.institution('kuleuven.be', 'BE')
const registrar = await ctx.key('kuleuven.be', ['recognition:write'])

interface RawResponse {
  status: number
  headers: Record<string, string>
  body: string
}

/**
 * Sends raw bytes (then `trickle`, a byte at a time, every 200 ms) and reads whatever comes
 * back until the server closes. Gives up after 20 s: Node's own default would close a slow
 * request only at its next 30-second check.
 */
function raw(bytes: string, trickle = ''): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1')
    let received = ''
    let next = 0
    const timer = setInterval(() => {
      if (next < trickle.length && socket.writable) socket.write(trickle[next++]!)
    }, 200)
    const giveUp = setTimeout(() => {
      socket.destroy()
      reject(new Error(`no answer within 20 s; got: ${received}`))
    }, 20_000)
    socket.on('data', (chunk) => (received += chunk))
    socket.on('error', () => {})
    socket.on('close', () => {
      clearInterval(timer)
      clearTimeout(giveUp)
      const [head = '', body = ''] = received.split('\r\n\r\n')
      const [statusLine = '', ...lines] = head.split('\r\n')
      const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]))
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body })
    })
    socket.write(bytes)
  })
}

function isProblem(t: Test, response: RawResponse, status: number, code: string) {
  t.equal(response.status, status, response.body)
  t.match(response.headers['content-type'], /^application\/problem\+json/)
  t.equal(response.headers['x-content-type-options'], 'nosniff', 'security headers')
  t.match(response.headers['x-request-id'], /^[0-9a-f-]{36}$/, 'a request id')
  const problem = JSON.parse(response.body)
  t.match(problem, { status, code, type: `urn:passerelle:problem:${code.toLowerCase().replaceAll('_', '-')}`, requestId: response.headers['x-request-id'] })
}

t.test('the server applies REQUEST_TIMEOUT_MS to headers and to the whole request, checked every second', async (t) => {
  t.equal(ctx.app.server.requestTimeout, REQUEST_TIMEOUT_MS)
  t.equal(ctx.app.server.headersTimeout, REQUEST_TIMEOUT_MS)
  t.ok((ctx.app.server as unknown as { connectionsCheckingInterval: number }).connectionsCheckingInterval <= 1000)
})

t.test('headers that never end: 408 problem', async (t) => {
  isProblem(t, await raw('GET /v1/alliances HTTP/1.1\r\nHost: localhost\r\nX-Slow: '), 408, 'REQUEST_TIMEOUT')
})

t.test('a body trickled in slower than the timeout allows: 408 problem', async (t) => {
  const head = `POST /v1/recognitions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${registrar}\r\nContent-Type: application/json\r\nContent-Length: 2000\r\n\r\n`
  isProblem(t, await raw(`${head}{"offerId":`, '"'.repeat(100)), 408, 'REQUEST_TIMEOUT')
})

t.test('a malformed header line: 400 problem', async (t) => {
  isProblem(t, await raw('GET /v1/alliances HTTP/1.1\r\nHost: localhost\r\nthis is not a header\r\n\r\n'), 400, 'MALFORMED_REQUEST')
})

t.test('a URL with a letter outside ASCII (q=données, not encoded): a 400 problem that says to percent-encode it', async (t) => {
  const response = await raw(`GET /v1/offers?q=données HTTP/1.1\r\nHost: localhost\r\n\r\n`)
  isProblem(t, response, 400, 'MALFORMED_REQUEST')
  t.match(JSON.parse(response.body).detail, /percent-encode it, e\.g\. q=donn%C3%A9es \(curl -G --data-urlencode 'q=données' does it\)/)
})

t.test('headers larger than the server accepts: 431 problem', async (t) => {
  isProblem(t, await raw(`GET /v1/alliances HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'x'.repeat(20_000)}\r\n\r\n`), 431, 'HEADERS_TOO_LARGE')
})
