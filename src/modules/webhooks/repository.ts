import { and, asc, desc, eq, gt, inArray, isNull, lt, max, sql, type SQL } from 'drizzle-orm'
import { rowsOf, type Executor } from '../../db/client.js'
import { allianceMembers, apiClients, changes, webhookAttempts, webhookDeliveries, webhookFanout, webhookSubscriptions } from '../../db/schema.js'
import type { Audience, FeedEntry } from './payloads.js'

export type SubscriptionRow = typeof webhookSubscriptions.$inferSelect
export type NewSubscriptionRow = typeof webhookSubscriptions.$inferInsert
export type DeliveryRow = typeof webhookDeliveries.$inferSelect
export type AttemptRow = typeof webhookAttempts.$inferSelect

/** A delivery claimed by a dispatcher, with what it needs to send it. */
export interface ClaimedDelivery {
  id: number
  subscriptionId: string
  messageId: string
  payload: string
  manual: boolean
  attempts: number
  url: string
  secret: string
  previousSecret: string | null
  previousSecretExpiresAt: Date | null
}

/** A subscription as the fan-out sees it. */
export interface FanoutTarget extends Audience {
  id: string
}

const FANOUT_ROW = 1
const ms = (value: number) => sql`(${value} * interval '1 millisecond')`

export const webhookRepository = {
  async insertSubscription(db: Executor, values: NewSubscriptionRow): Promise<SubscriptionRow> {
    const [row] = await db.insert(webhookSubscriptions).values(values).returning()
    return row!
  },

  /** The client's subscription; with `lock`, held until the transaction ends. */
  async findSubscription(db: Executor, clientId: string, id: string, lock = false): Promise<SubscriptionRow | undefined> {
    const query = db
      .select()
      .from(webhookSubscriptions)
      .where(and(eq(webhookSubscriptions.id, id), eq(webhookSubscriptions.clientId, clientId)))
      .limit(1)
    const [row] = lock ? await query.for('update') : await query
    return row
  },

  /** Keyset page of a client's subscriptions by id; one row more than the limit. */
  async listSubscriptions(db: Executor, clientId: string, afterId: string | undefined, limit: number): Promise<SubscriptionRow[]> {
    const conditions: SQL[] = [eq(webhookSubscriptions.clientId, clientId)]
    if (afterId !== undefined) conditions.push(gt(webhookSubscriptions.id, afterId))
    return db.select().from(webhookSubscriptions).where(and(...conditions)).orderBy(asc(webhookSubscriptions.id)).limit(limit + 1)
  },

  async updateSubscription(db: Executor, id: string, values: Partial<NewSubscriptionRow>): Promise<SubscriptionRow> {
    const [row] = await db
      .update(webhookSubscriptions)
      .set({ ...values, version: sql`${webhookSubscriptions.version} + 1`, updatedAt: sql`now()` })
      .where(eq(webhookSubscriptions.id, id))
      .returning()
    return row!
  },

  async deleteSubscription(db: Executor, id: string): Promise<void> {
    await db.delete(webhookSubscriptions).where(eq(webhookSubscriptions.id, id))
  },

  /** The last sequence of the feed (0 when empty). */
  async lastSequence(db: Executor): Promise<number> {
    const [row] = await db.select({ last: max(changes.sequence) }).from(changes)
    return Number(row?.last ?? 0)
  },

  /**
   * Takes the fan-out position for this transaction (starting, the first time, where the
   * oldest subscription starts), or undefined when another replica holds
   * it (SKIP LOCKED: it is fanning out; this one delivers instead of waiting).
   */
  async claimFanout(tx: Executor): Promise<number | undefined> {
    await tx.execute(sql`
      insert into ${webhookFanout} (id, last_sequence)
      select ${FANOUT_ROW}, coalesce((select min(from_sequence) from ${webhookSubscriptions}), (select max(sequence) from ${changes}), 0)
      on conflict (id) do nothing`)
    const [row] = await tx.select().from(webhookFanout).where(eq(webhookFanout.id, FANOUT_ROW)).for('update', { skipLocked: true })
    return row?.lastSequence
  },

  /**
   * Waits for the fan-out position and holds it until the transaction ends: a subscription
   * made meanwhile starts where the fan-out will next look, so it neither misses an entry
   * committed while it was being made nor receives one fanned out before it.
   */
  async lockFanout(tx: Executor): Promise<number> {
    await tx.execute(sql`
      insert into ${webhookFanout} (id, last_sequence)
      select ${FANOUT_ROW}, coalesce((select min(from_sequence) from ${webhookSubscriptions}), (select max(sequence) from ${changes}), 0)
      on conflict (id) do nothing`)
    const [row] = await tx.select().from(webhookFanout).where(eq(webhookFanout.id, FANOUT_ROW)).for('update')
    return row!.lastSequence
  },

  async advanceFanout(tx: Executor, lastSequence: number): Promise<void> {
    await tx.update(webhookFanout).set({ lastSequence }).where(eq(webhookFanout.id, FANOUT_ROW))
  },

  /** Feed entries after a sequence, oldest first. */
  async feedAfter(db: Executor, after: number, limit: number, upTo?: number): Promise<FeedEntry[]> {
    const conditions: SQL[] = [gt(changes.sequence, after)]
    if (upTo !== undefined) conditions.push(sql`${changes.sequence} <= ${upTo}`)
    const rows = await db.select().from(changes).where(and(...conditions)).orderBy(asc(changes.sequence)).limit(limit)
    return rows.map((row) => ({ ...row, visibleTo: row.visibleTo ?? null }))
  },

  /**
   * The subscriptions events are queued for: active and paused ones (a paused one keeps its
   * events until it resumes) of clients not revoked, with what decides what they may read.
   */
  async fanoutTargets(db: Executor, ids?: string[]): Promise<FanoutTarget[]> {
    const conditions: SQL[] = [inArray(webhookSubscriptions.status, ['active', 'paused']), isNull(apiClients.revokedAt)]
    if (ids !== undefined) conditions.push(inArray(webhookSubscriptions.id, ids))
    const rows = await db
      .select({ subscription: webhookSubscriptions, institution: apiClients.institutionSchac, scopes: apiClients.scopes })
      .from(webhookSubscriptions)
      .innerJoin(apiClients, eq(apiClients.id, webhookSubscriptions.clientId))
      .where(and(...conditions))
    return rows.map(({ subscription, institution, scopes }) => ({
      id: subscription.id,
      events: subscription.events,
      institutions: subscription.institutions,
      alliances: subscription.alliances,
      fromSequence: subscription.fromSequence,
      viewer: institution,
      readsRecognitions: scopes.includes('recognition:read'),
      writesRecognitions: scopes.includes('recognition:write'),
    }))
  },

  /** The alliances each of these institutions belongs to. */
  async alliancesOf(db: Executor, institutions: string[]): Promise<Map<string, string[]>> {
    const result = new Map<string, string[]>()
    if (institutions.length === 0) return result
    const rows = await db.select().from(allianceMembers).where(inArray(allianceMembers.institutionSchac, institutions))
    for (const row of rows) result.set(row.institutionSchac, [...(result.get(row.institutionSchac) ?? []), row.allianceSlug])
    return result
  },

  /** Queues deliveries without reading them back (the fan-out). */
  async queueDeliveries(db: Executor, rows: Array<{ subscriptionId: string; sequence: number; messageId: string; payload: string; manual: boolean }>): Promise<void> {
    if (rows.length > 0) await db.insert(webhookDeliveries).values(rows)
  },

  /**
   * Whether the feed has entries the fan-out has not reached, in one short unlocking read
   * (true when there is no fan-out position yet): idle rounds cost one statement.
   */
  async feedAhead(db: Executor): Promise<boolean> {
    const result = await db.execute(sql`
      select coalesce((select max(sequence) from ${changes}) > (select last_sequence from ${webhookFanout} where id = ${FANOUT_ROW}), true) as "ahead"`)
    return rowsOf<{ ahead: boolean }>(result)[0]?.ahead === true
  },

  async insertDeliveries(
    db: Executor,
    rows: Array<{ subscriptionId: string; sequence: number | null; messageId: string; payload: string; manual: boolean }>,
  ): Promise<DeliveryRow[]> {
    if (rows.length === 0) return []
    return db.insert(webhookDeliveries).values(rows).returning()
  },

  /**
   * Claims due deliveries of active subscriptions: each is leased to this dispatcher (its next
   * attempt time moves to the end of the lease) in one short statement, SKIP LOCKED so that
   * replicas claiming at once take different ones (only the rows chosen are locked, not every
   * candidate). At most `perSubscription` are taken from any one subscription, none from the `busy` ones (already at that many in this process), and the
   * earliest due go first: one subscriber's backlog or slow endpoint cannot take every slot. A
   * dispatcher that dies mid-delivery leaves the lease to run out, and the delivery is due again.
   */
  async claimDue(db: Executor, options: { limit: number; perSubscription: number; busy: string[]; leaseMs: number }): Promise<ClaimedDelivery[]> {
    const result = await db.execute(sql`
      update ${webhookDeliveries} d
      set next_attempt_at = now() + ${ms(options.leaseMs)}, attempts = d.attempts + 1
      from ${webhookSubscriptions} s
      where s.id = d.subscription_id and d.id in (
        select locked.id from ${webhookDeliveries} locked
        where locked.id in (
          select due.id from ${webhookSubscriptions} sub
          join ${apiClients} client on client.id = sub.client_id
          cross join lateral (
            select pending.id, pending.next_attempt_at from ${webhookDeliveries} pending
            where pending.subscription_id = sub.id and pending.status = 'pending' and pending.next_attempt_at <= now()
            order by pending.next_attempt_at
            limit ${options.perSubscription}) due
          where sub.status = 'active' and client.revoked_at is null and sub.id <> all(${uuidArray(options.busy)})
          order by due.next_attempt_at
          limit ${options.limit})
        -- Checked again on the row as it is when locked: one another replica has just claimed is no longer due.
        and locked.status = 'pending' and locked.next_attempt_at <= now()
        for update of locked skip locked)
      returning d.id, d.subscription_id as "subscriptionId", d.message_id as "messageId", d.payload, d.manual, d.attempts,
        s.url, s.secret, s.previous_secret as "previousSecret", s.previous_secret_expires_at as "previousSecretExpiresAt"`)
    return rowsOf<ClaimedDelivery & { id: number | string; previousSecretExpiresAt: Date | string | null }>(result).map((row) => ({
      ...row,
      id: Number(row.id),
      previousSecretExpiresAt: row.previousSecretExpiresAt === null ? null : new Date(row.previousSecretExpiresAt),
    }))
  },

  /** Locks these deliveries (in id order) while their outcomes are recorded; the ids of those that still exist. */
  async lockDeliveries(tx: Executor, ids: number[]): Promise<Set<number>> {
    if (ids.length === 0) return new Set()
    const rows = await tx
      .select({ id: webhookDeliveries.id })
      .from(webhookDeliveries)
      .where(inArray(webhookDeliveries.id, ids))
      .orderBy(asc(webhookDeliveries.id))
      .for('update')
    return new Set(rows.map((row) => row.id))
  },

  async insertAttempts(db: Executor, rows: Array<Omit<AttemptRow, 'id'>>): Promise<void> {
    if (rows.length === 0) return
    await db.insert(webhookAttempts).values(rows)
  },

  /** Marks deliveries succeeded, and their (automatic) subscriptions no longer failing. */
  async finishSucceeded(db: Executor, ids: number[], automaticSubscriptions: string[]): Promise<void> {
    if (ids.length === 0) return
    await db.update(webhookDeliveries).set({ status: 'succeeded', finishedAt: sql`now()` }).where(inArray(webhookDeliveries.id, ids))
    if (automaticSubscriptions.length === 0) return
    await db
      .update(webhookSubscriptions)
      .set({ failingSince: null, lastFailedAt: null })
      .where(and(inArray(webhookSubscriptions.id, automaticSubscriptions), sql`${webhookSubscriptions.failingSince} is not null`))
  },

  async finishDelivery(db: Executor, id: number, status: 'succeeded' | 'failed'): Promise<void> {
    await db.update(webhookDeliveries).set({ status, finishedAt: sql`now()` }).where(eq(webhookDeliveries.id, id))
  },

  async rescheduleDelivery(db: Executor, id: number, delayMs: number): Promise<void> {
    await db
      .update(webhookDeliveries)
      .set({ nextAttemptAt: sql`now() + ${ms(delayMs)}` })
      .where(eq(webhookDeliveries.id, id))
  },

  /**
   * An automatic delivery failed: how long (ms) the subscription has been failing, counting
   * from the first failure of the run. A failure after a quiet spell of `windowMs` (no failure,
   * e.g. no events) starts a new run rather than extending an old one.
   */
  async markFailing(db: Executor, id: string, windowMs: number): Promise<number> {
    const result = await db.execute(sql`
      update ${webhookSubscriptions}
      set failing_since = case when failing_since is null or last_failed_at < now() - ${ms(windowMs)} then now() else failing_since end,
        last_failed_at = now()
      where id = ${id}
      returning extract(epoch from (now() - failing_since)) * 1000 as "failingMs"`)
    return Number(rowsOf<{ failingMs: number | string }>(result)[0]?.failingMs ?? 0)
  },

  async disable(db: Executor, id: string, reason: string): Promise<void> {
    await db
      .update(webhookSubscriptions)
      .set({ status: 'disabled', disabledReason: reason, updatedAt: sql`now()`, version: sql`${webhookSubscriptions.version} + 1` })
      .where(and(eq(webhookSubscriptions.id, id), sql`${webhookSubscriptions.status} <> 'disabled'`))
  },

  /** Newest first; one row more than the limit. */
  async listDeliveries(db: Executor, subscriptionId: string, beforeId: number | undefined, limit: number): Promise<DeliveryRow[]> {
    const conditions: SQL[] = [eq(webhookDeliveries.subscriptionId, subscriptionId)]
    if (beforeId !== undefined) conditions.push(lt(webhookDeliveries.id, beforeId))
    return db.select().from(webhookDeliveries).where(and(...conditions)).orderBy(desc(webhookDeliveries.id)).limit(limit + 1)
  },

  async findDelivery(db: Executor, subscriptionId: string, id: number): Promise<DeliveryRow | undefined> {
    const [row] = await db
      .select()
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.id, id), eq(webhookDeliveries.subscriptionId, subscriptionId)))
      .limit(1)
    return row
  },

  async attemptsOf(db: Executor, deliveryIds: number[]): Promise<AttemptRow[]> {
    if (deliveryIds.length === 0) return []
    return db.select().from(webhookAttempts).where(inArray(webhookAttempts.deliveryId, deliveryIds)).orderBy(asc(webhookAttempts.id))
  },

  /** Deletes up to `limit` finished deliveries and attempts older than the retention; how many went. */
  async prune(db: Executor, retentionMs: number, limit: number): Promise<number> {
    const attempts = await db.execute(sql`
      delete from ${webhookAttempts} where id in (
        select id from ${webhookAttempts} where at < now() - ${ms(retentionMs)} limit ${limit})`)
    const deliveries = await db.execute(sql`
      delete from ${webhookDeliveries} where id in (
        select id from ${webhookDeliveries} where status <> 'pending' and finished_at < now() - ${ms(retentionMs)} limit ${limit})`)
    return affected(attempts) + affected(deliveries)
  },
}

/** A uuid[] parameter (ids are hex and dashes, nothing to escape). */
function uuidArray(ids: string[]): SQL {
  return sql`${`{${ids.join(',')}}`}::uuid[]`
}

function affected(result: unknown): number {
  const { rowCount, affectedRows } = result as { rowCount?: number | null; affectedRows?: number }
  return rowCount ?? affectedRows ?? 0
}
