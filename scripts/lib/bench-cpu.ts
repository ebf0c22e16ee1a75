import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'

/**
 * Where a scenario's CPU time went: the service's process, PostgreSQL's processes (backends,
 * and those that ended during the run, which their parent has reaped) and the load generator
 * (autocannon runs in the benchmark's own process), read from /proc before and after the
 * measured run. With the three on one machine's cores, this says which of them a scenario's
 * throughput is waiting for. Linux only; elsewhere `cpuSnapshot` returns undefined.
 */
export interface CpuSnapshot {
  service: number
  postgres: number
  load: number
  /** The whole machine's busy and total time (all cores), from /proc/stat. */
  machineBusy: number
  machineTotal: number
}

/** CPU milliseconds per request of each part, and how busy the machine's cores were. */
export interface CpuPerRequest {
  serviceMs: number
  postgresMs: number
  loadMs: number
  machineBusyPercent: number
}

let tickMs: number | undefined
function millisecondsPerTick(): number {
  if (tickMs === undefined) {
    const hertz = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim())
    tickMs = 1000 / (Number.isFinite(hertz) && hertz > 0 ? hertz : 100)
  }
  return tickMs
}

interface ProcessTimes {
  comm: string
  ppid: number
  own: number
  reapedChildren: number
}

/** utime+stime and cutime+cstime in ticks; the fields after the command name, which may hold spaces. */
function processTimes(pid: number | string): ProcessTimes | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // fields[0] is the state (field 3 of proc(5)); utime is field 14, so index 11.
    return { comm, ppid: Number(fields[1]), own: Number(fields[11]) + Number(fields[12]), reapedChildren: Number(fields[13]) + Number(fields[14]) }
  } catch {
    return undefined
  }
}

function postgresTicks(): number {
  const all = new Map<number, ProcessTimes>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const times = processTimes(entry)
    if (times?.comm === 'postgres') all.set(Number(entry), times)
  }
  let ticks = 0
  for (const times of all.values()) {
    ticks += times.own
    // The postmaster (whose parent is not a postgres process) holds what its ended children used.
    if (!all.has(times.ppid)) ticks += times.reapedChildren
  }
  return ticks
}

function machineTicks(): { busy: number; total: number } {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/)
  const numbers = values.map(Number)
  const total = numbers.slice(0, 8).reduce((sum, value) => sum + value, 0)
  const idle = numbers[3]! + numbers[4]!
  return { busy: total - idle, total }
}

export function cpuSnapshot(servicePid: number): CpuSnapshot | undefined {
  if (process.platform !== 'linux') return undefined
  const service = processTimes(servicePid)
  if (service === undefined) return undefined
  const tick = millisecondsPerTick()
  const usage = process.cpuUsage()
  const machine = machineTicks()
  return {
    service: service.own * tick,
    postgres: postgresTicks() * tick,
    load: (usage.user + usage.system) / 1000,
    machineBusy: machine.busy * tick,
    machineTotal: machine.total * tick,
  }
}

export function cpuPerRequest(before: CpuSnapshot | undefined, after: CpuSnapshot | undefined, requests: number): CpuPerRequest | undefined {
  if (before === undefined || after === undefined || requests === 0) return undefined
  const per = (key: 'service' | 'postgres' | 'load') => Math.round(((after[key] - before[key]) / requests) * 100) / 100
  const total = after.machineTotal - before.machineTotal
  return {
    serviceMs: per('service'),
    postgresMs: per('postgres'),
    loadMs: per('load'),
    machineBusyPercent: total > 0 ? Math.round(((after.machineBusy - before.machineBusy) / total) * 100) : 0,
  }
}
