// The benchmark's yardstick for GET /v1/offers/{id}: a bare Fastify route, no plugins, no
// schemas, running the very statement the service runs (same text, same columns, prepared by
// name as the service prepares it) through `pg` with the same pool size. Started as its own
// process by scripts/bench.ts, like the service.
import { eq, sql } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/node-postgres'
import Fastify from 'fastify'
import pg from 'pg'
import { offers } from '../../src/db/schema.js'
import { offerViewColumns } from '../../src/modules/catalogue/repository.js'

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DB_POOL_MAX ?? 10) })

/** The text of the service's offer_by_id statement, from the same query builder (drizzle only renders it here). */
const OFFER_BY_ID = drizzle(pool)
  .select(offerViewColumns)
  .from(offers)
  .where(eq(offers.id, sql.placeholder('id')))
  .limit(1)
  .toSQL().sql
const app = Fastify({ logger: false })

app.get('/ready', async () => {
  await pool.query('select 1')
  return { status: 'ok' }
})

app.get<{ Params: { id: string } }>('/offers/:id', async (request, reply) => {
  const result = await pool.query({ name: 'offer_by_id', text: OFFER_BY_ID, values: [request.params.id, 1] })
  if (result.rows.length === 0) return reply.code(404).send({ error: 'not found' })
  return result.rows[0]
})

await app.listen({ port: Number(process.env.PORT ?? 0), host: process.env.HOST ?? '127.0.0.1' })
process.on('SIGTERM', () => {
  void app
    .close()
    .then(() => pool.end())
    .then(() => process.exit(0))
})
