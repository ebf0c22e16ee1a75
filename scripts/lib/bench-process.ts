import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import net from 'node:net'

/**
 * Processes the benchmark starts (the service, the bare limit server): each on a free port
 * of 127.0.0.1, ready when its health URL answers 200, its RSS sampled every 500 ms from
 * /proc, and stopped (SIGTERM, then SIGKILL) at the end whatever happens.
 */
export interface BenchProcess {
  name: string
  pid: number
  url: string
  /** Highest VmRSS seen so far, in MiB. */
  peakRssMb(): number
  /** VmRSS now, in MiB (0 once the process has gone). */
  rssMb(): number
  stop(): Promise<void>
}

const running = new Set<BenchProcess>()

/** Stops every process still running (used by the caller's finally and on signals). */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((process) => process.stop()))
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}

function readRssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024
  } catch {
    return 0
  }
}

export async function startProcess(options: {
  name: string
  cwd: string
  /** Arguments to node (the loader, the entry file). */
  args: string[]
  env: Record<string, string>
  /** Path answering 200 once the process can take load. */
  readyPath: string
  timeoutMs?: number
}): Promise<BenchProcess> {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const child: ChildProcess = spawn(process.execPath, options.args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8000)
  }
  child.stdout!.on('data', keep)
  child.stderr!.on('data', keep)
  let exited: number | null | undefined
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = code ?? (signal ? -1 : null)
      resolve()
    }),
  )

  const pid = child.pid!
  let peak = 0
  const sampler = setInterval(() => {
    peak = Math.max(peak, readRssMb(pid))
  }, 500)

  const handle: BenchProcess = {
    name: options.name,
    pid,
    url,
    peakRssMb: () => Math.max(peak, readRssMb(pid)),
    rssMb: () => readRssMb(pid),
    async stop() {
      running.delete(handle)
      peak = Math.max(peak, readRssMb(pid))
      clearInterval(sampler)
      if (exited !== undefined) return
      child.kill('SIGTERM')
      const killer = setTimeout(() => child.kill('SIGKILL'), 12_000)
      await exit
      clearTimeout(killer)
    },
  }
  running.add(handle)

  const deadline = Date.now() + (options.timeoutMs ?? 60_000)
  for (;;) {
    if (exited !== undefined) {
      await handle.stop()
      throw new Error(`${options.name} exited (${exited}) before it was ready:\n${output}`)
    }
    try {
      const response = await fetch(`${url}${options.readyPath}`, { signal: AbortSignal.timeout(2000) })
      await response.text()
      if (response.status === 200) return handle
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await handle.stop()
      throw new Error(`${options.name} was not ready within ${(options.timeoutMs ?? 60_000) / 1000} s:\n${output}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}
