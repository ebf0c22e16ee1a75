import { randomBytes } from 'node:crypto'
import pg from 'pg'

/** A database of its own for one measurement run, created on a server and dropped after. */
export interface ScratchDatabase {
  url: URL
  drop(): Promise<void>
}

async function onServer(server: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: server })
  await client.connect()
  try {
    await client.query(sql)
  } finally {
    await client.end()
  }
}

/** Creates `passerelle_measure_<random>` on the server (a connection string to any database of it). */
export async function createScratchDatabase(server: string): Promise<ScratchDatabase> {
  const name = `passerelle_measure_${randomBytes(4).toString('hex')}`
  await onServer(server, `create database "${name}"`)
  const url = new URL(server)
  url.pathname = `/${name}`
  return { url, drop: () => onServer(server, `drop database if exists "${name}" with (force)`) }
}
