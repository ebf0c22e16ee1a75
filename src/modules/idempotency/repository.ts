import { and, eq } from 'drizzle-orm'
import type { Executor } from '../../db/client.js'
import { idempotencyKeys } from '../../db/schema.js'

export type IdempotencyRow = typeof idempotencyKeys.$inferSelect

export const idempotencyRepository = {
  async find(db: Executor, clientKey: string, key: string): Promise<IdempotencyRow | undefined> {
    const [row] = await db
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.clientKey, clientKey), eq(idempotencyKeys.key, key)))
      .limit(1)
    return row
  },

  async remove(db: Executor, clientKey: string, key: string): Promise<void> {
    await db.delete(idempotencyKeys).where(and(eq(idempotencyKeys.clientKey, clientKey), eq(idempotencyKeys.key, key)))
  },

  async insert(db: Executor, row: Omit<IdempotencyRow, 'createdAt'>): Promise<void> {
    await db.insert(idempotencyKeys).values(row)
  },
}
