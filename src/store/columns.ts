/**
 * How a record's fields are stored in D1 columns, declared once per table as a column table
 * (field → column name and codec): the row type, the decoder and the encoder all follow from it,
 * so a new field is one line there (and its migration). SQLite has no boolean or structured
 * type: flags are stored as 0/1, lists as JSON text (schema.sql).
 */

/** One field's column: its name in schema.sql and how its value is written and read. */
export interface Column<V> {
  name: string;
  encode: (value: V) => unknown;
  decode: (stored: unknown) => V;
}

/** Stored as it is: TEXT and INTEGER columns whose value needs no conversion. */
export function plain<V>(name: string): Column<V> {
  return { name, encode: (value) => value, decode: (stored) => stored as V };
}

/** An INTEGER 0/1 column. */
export function flag(name: string): Column<boolean> {
  return { name, encode: (value) => (value ? 1 : 0), decode: (stored) => stored === 1 };
}

/** A TEXT column holding JSON. */
export function json<V>(name: string): Column<V> {
  return { name, encode: (value) => JSON.stringify(value), decode: (stored) => JSON.parse(stored as string) as V };
}

/** A nullable TEXT column holding JSON: NULL stays null (SQL can test it), not the text "null". */
export function optionalJson<V>(name: string): Column<V | null> {
  return {
    name,
    encode: (value) => (value === null ? null : JSON.stringify(value)),
    decode: (stored) => (stored === null || stored === undefined ? null : (JSON.parse(stored as string) as V)),
  };
}

/** Every field of T, each with its column. */
export type ColumnTable<T> = { [K in keyof T]-?: Column<T[K]> };

/** A row as D1 returns it: column name → stored value. */
export type StoredRow = Record<string, unknown>;

export function rowMapping<T>(table: ColumnTable<T>) {
  const fields = Object.entries(table) as [keyof T & string, Column<unknown>][];
  return {
    /** The column names, in table order. */
    names: fields.map(([, column]) => column.name),
    /** A row read by a SELECT of at least these columns → the record. */
    decode: (row: StoredRow): T =>
      Object.fromEntries(fields.map(([field, column]) => [field, column.decode(row[column.name])])) as T,
    /** The record → its column values, in the order of `names` (for INSERT … VALUES). */
    encode: (record: T): unknown[] => fields.map(([field, column]) => column.encode(record[field])),
  };
}
