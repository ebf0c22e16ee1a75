/** The PostgreSQL error behind a failed query (drizzle wraps the driver's error in `cause`). */
export interface PgError {
  code?: string
  constraint?: string
}

export function pgErrorOf(error: unknown): PgError | undefined {
  const candidate = (error as { cause?: PgError })?.cause ?? (error as PgError)
  return typeof candidate?.code === 'string' ? candidate : undefined
}

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const pg = pgErrorOf(error)
  return pg?.code === '23505' && (constraint === undefined || pg.constraint === constraint)
}
