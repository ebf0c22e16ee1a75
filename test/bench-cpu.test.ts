import t from 'tap'
import { cpuPerRequest, cpuSnapshot, type CpuSnapshot } from '../scripts/lib/bench-cpu.js'

t.test('CPU per request: each part\'s time over the requests, and how busy the cores were', async (t) => {
  const before: CpuSnapshot = { service: 1000, postgres: 500, load: 200, machineBusy: 4000, machineTotal: 10000 }
  const after: CpuSnapshot = { service: 1600, postgres: 800, load: 300, machineBusy: 7000, machineTotal: 14000 }
  t.same(cpuPerRequest(before, after, 200), { serviceMs: 3, postgresMs: 1.5, loadMs: 0.5, machineBusyPercent: 75 })
  t.equal(cpuPerRequest(before, after, 0), undefined, 'no requests: nothing to divide')
  t.equal(cpuPerRequest(undefined, after, 10), undefined, 'no reading before: no figure')
})

t.test('a process\'s CPU time read from /proc follows what it used', { skip: process.platform !== 'linux' && 'reads /proc' }, async (t) => {
  const before = cpuSnapshot(process.pid)!
  const start = process.cpuUsage()
  // Burn 300 ms of this process's CPU (not of wall-clock time, which a loaded machine stretches).
  let spent = 0
  while (spent < 300) {
    for (let i = 0; i < 1e5; i++) Math.sqrt(i)
    const used = process.cpuUsage(start)
    spent = (used.user + used.system) / 1000
  }
  const after = cpuSnapshot(process.pid)!
  // /proc counts in clock ticks (10 ms here): allow a few of them either way.
  t.ok(after.service - before.service >= spent - 50, `the service's ticks grew by ${after.service - before.service} ms for ${spent} ms used`)
  t.ok(after.load - before.load >= spent - 1, 'the load generator is this process too')
  t.ok(after.postgres >= before.postgres, 'PostgreSQL\'s time only grows')
  t.ok(after.machineTotal > before.machineTotal && after.machineBusy > before.machineBusy)
  t.equal(cpuSnapshot(2 ** 22 + 12345), undefined, 'a process that is not there: no reading')
})
