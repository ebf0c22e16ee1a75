import { getTableColumns, sql, type Column, type SQL } from 'drizzle-orm'
import type { PgTable } from 'drizzle-orm/pg-core'

/**
 * Rows for a set-based insert, sent as one jsonb parameter that PostgreSQL unpacks with
 * `jsonb_to_recordset`. A multi-row VALUES list with a parameter per value costs more to
 * build in the query builder than the insert costs the database (a 5,000-offer sync spent
 * a third of its time there); this is one parameter and a fixed statement text, whatever the
 * number of rows.
 *
 * `keys` are the table's column keys (as in the drizzle schema) every row sets; `extra` names
 * further input fields (not columns) with their SQL types, for computed columns. Rows are
 * objects keyed by those names; Dates become ISO timestamps.
 */
export function recordset<T extends PgTable>(
  table: T,
  keys: ReadonlyArray<keyof T['_']['columns'] & string>,
  rows: ReadonlyArray<Record<string, unknown>>,
  extra: Record<string, string> = {},
): { columns: (key: string) => SQL; from: SQL } {
  const columns = getTableColumns(table)
  const definitions = [
    ...keys.map((key) => `${quote(key)} ${columns[key]!.getSQLType()}`),
    ...Object.entries(extra).map(([name, type]) => `${quote(name)} ${type}`),
  ]
  return {
    /** The recordset's field `key`, to select. */
    columns: (key) => sql.raw(`r.${quote(key)}`),
    from: sql`jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(${sql.raw(definitions.join(', '))})`,
  }
}

/** The database names of the given column keys, as an insert's column list. */
export function columnList<T extends PgTable>(table: T, keys: ReadonlyArray<keyof T['_']['columns'] & string>): SQL {
  const columns = getTableColumns(table)
  return sql.raw(keys.map((key) => quote(columns[key]!.name)).join(', '))
}

function quote(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`
}

/**
 * `column = any($1::type[])`: membership in a list as one array parameter, whatever its
 * length. `inArray` writes a parameter per value, which the query builder pays for on every
 * request (100 ids: a tenth of the request) and which gives PostgreSQL a new statement shape
 * for every list length.
 */
export function isAnyOf(column: Column, values: readonly string[], type: 'uuid' | 'text'): SQL {
  return sql`${column} = any(${arrayLiteral(values)}::${sql.raw(type)}[])`
}

/** A PostgreSQL array literal of strings, every element quoted. */
function arrayLiteral(values: readonly string[]): string {
  return `{${values.map((value) => `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`
}
