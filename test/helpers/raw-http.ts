import http from 'node:http'
import type { FastifyInstance } from 'fastify'

/**
 * A request over a real connection to a listening app, sent exactly as given: a path with dot
 * segments (which clients and `inject` normalise away), or a header repeated (`inject` merges).
 */
export async function rawRequest(
  app: FastifyInstance,
  request: { method: string; path: string; headers?: Record<string, string | string[]>; body?: object },
): Promise<{ status: number; body: string }> {
  const address = app.server.address()
  if (address === null || typeof address === 'string') throw new Error('the app is not listening')
  const payload = request.body === undefined ? undefined : JSON.stringify(request.body)
  return new Promise((resolve, reject) => {
    const outgoing = http.request({ host: '127.0.0.1', port: address.port, path: request.path, method: request.method, agent: false }, (response) => {
      let body = ''
      response.on('data', (chunk) => (body += chunk))
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }))
    })
    for (const [name, value] of Object.entries(request.headers ?? {})) outgoing.setHeader(name, value)
    if (payload !== undefined) outgoing.setHeader('content-type', 'application/json')
    outgoing.on('error', reject)
    outgoing.end(payload)
  })
}
