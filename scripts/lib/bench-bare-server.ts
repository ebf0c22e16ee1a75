// The benchmark's yardstick: a bare Fastify route, no plugins, running the same primary-key
// SELECT through `pg` with the same pool size. Started as its own process by scripts/bench.ts.
import Fastify from 'fastify'
import pg from 'pg'

/** The columns the service reads for GET /v1/offers/{id} (all but the search document). */
const OFFER_BY_ID = `select id, institution_schac, external_id, status, version, revision, content, content_hash, compliance,
  created_at, updated_at, published_at, withdrawn_at, ects, eqf_level, languages, isced_paths, participation, qa_type,
  stackable, start_date, issuer_countries, alliances, sort_title from offers where id = $1 limit 1`

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DB_POOL_MAX ?? 10) })
const app = Fastify({ logger: false })
app.get<{ Params: { id: string } }>('/offers/:id', async (request, reply) => {
  const result = await pool.query(OFFER_BY_ID, [request.params.id])
  if (result.rows.length === 0) return reply.code(404).send({ error: 'not found' })
  return result.rows[0]
})
const address = await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' })
process.stdout.write(`bare server at ${address}\n`)
process.on('SIGTERM', () => {
  void app.close().then(() => pool.end()).then(() => process.exit(0))
})
