import { once } from 'node:events'
import http from 'node:http'
import type { AddressInfo } from 'node:net'

/** One message a receiver got. */
export interface Received {
  path: string
  headers: http.IncomingHttpHeaders
  body: string
}

/**
 * A local webhook receiver on 127.0.0.1: records every message, and answers each path with
 * the statuses queued for it (then 200).
 */
export async function startReceiver(t: { teardown(fn: () => unknown): void }) {
  const received: Received[] = []
  const answers = new Map<string, Array<{ status: number; headers?: Record<string, string> } | 'hang'>>()
  const hanging = new Set<http.ServerResponse>()
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const path = request.url ?? '/'
      // Answers queued for one message (`path#webhook-id`) come before those for the path.
      const answer = answers.get(`${path}#${String(request.headers['webhook-id'])}`)?.shift() ?? answers.get(path)?.shift() ?? { status: 200 }
      if (answer === 'hang') {
        hanging.add(response)
        return
      }
      received.push({ path, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') })
      response.writeHead(answer.status, answer.headers).end(`answer ${answer.status}`)
    })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  t.teardown(async () => {
    for (const response of hanging) response.destroy()
    server.closeAllConnections()
    server.close()
  })
  return {
    port,
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    received,
    at: (path: string) => received.filter((message) => message.path === path),
    /** Queues answers for a path, or for one message at it (`path#webhook-id`); `'hang'`: never answer. */
    answer(path: string, ...queued: Array<{ status: number; headers?: Record<string, string> } | 'hang'>) {
      answers.set(path, [...(answers.get(path) ?? []), ...queued])
    },
    /** Requests waiting on a `'hang'` answer. */
    hanging: () => hanging.size,
  }
}

/** Polls `check` until it holds, running `step` (e.g. a dispatcher round) in between; bounded. */
export async function until(what: string, check: () => Promise<boolean> | boolean, step: () => Promise<unknown> = async () => {}, attempts = 300): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    await step()
    if (await check()) return
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  throw new Error(`gave up waiting: ${what}`)
}
