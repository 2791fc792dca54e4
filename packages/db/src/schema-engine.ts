/**
 * Prisma's schema engine compiled to Wasm (`@prisma/schema-engine-wasm`), driven through a pg
 * driver adapter. This replaces the native engine that `prisma migrate` needs and that cannot be
 * downloaded on our machines (docs/reference/prisma-wasm-migrations.md). The package's API is
 * internal to Prisma, hence the exact version pin in package.json.
 *
 * Three adapter-pg 7.10 problems are worked around here, each only for the engine's connections:
 * 1. it cannot map Postgres's internal `"char"` type (OID 18), which the schema describer selects
 *    (reading it as text instead, as environment.md suggests, makes the describer panic on CHECK
 *    constraints), so those columns reach the engine as `Character`;
 * 2. its `connectToShadowDb()` replays the history against the main database when given a URL and
 *    leaves `prisma_migrate_shadow_db_*` databases behind otherwise, so we create and drop our own;
 * 3. its `executeScript()` splits scripts at every `;` (breaking `$$` bodies and string literals),
 *    so a migration is sent as one simple-protocol query, which Postgres runs as one transaction.
 */
import { randomUUID } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import {
  ColumnTypeEnum,
  DriverAdapterError,
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQuery,
  type SqlQueryable,
} from '@prisma/driver-adapter-utils'
import { PrismaPg } from '@prisma/adapter-pg'
import * as engineModule from '@prisma/schema-engine-wasm/schema_engine_bg'
import type { SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg'
import pg from 'pg'
import { quoteIdentifier, withDatabaseName } from './database-url.js'

export type { SchemaEngine }

/** Postgres's internal single-byte `"char"` type (pg_constraint.contype, pg_class.relkind, …). */
const pgChar = 18
const pgText = 25

/** What adapter-pg's private `performIO` returns: a pg result in array row mode. */
type PerformIO = (query: SqlQuery) => Promise<{ fields: { dataTypeID: number }[] }>

/**
 * Teaches one adapter-pg queryable about `"char"` columns, which it cannot map: the column is
 * handed to adapter-pg as text (so it does not throw) and then reported to the engine as
 * `Character`, which is what the schema describer reads these columns as. Scoped to the engine's
 * own connections; nothing global is patched.
 */
function mapCharColumns<Q extends SqlQueryable>(queryable: Q): Q {
  const target = queryable as unknown as { performIO: PerformIO }
  const performIO = target.performIO.bind(queryable)
  const charColumns = new WeakMap<SqlQuery, number[]>()
  target.performIO = async (query) => {
    const result = await performIO(query)
    const indexes: number[] = []
    result.fields.forEach((field, index) => {
      if (field.dataTypeID !== pgChar) return
      field.dataTypeID = pgText
      indexes.push(index)
    })
    if (indexes.length > 0) charColumns.set(query, indexes)
    return result
  }
  const queryRaw = queryable.queryRaw.bind(queryable)
  queryable.queryRaw = async (query) => {
    const resultSet = await queryRaw(query)
    for (const index of charColumns.get(query) ?? []) {
      resultSet.columnTypes[index] = ColumnTypeEnum.Character
    }
    return resultSet
  }
  return queryable
}

/** The part of the WebAssembly global we use (our lib settings have no DOM/WebAssembly types). */
interface WasmApi {
  instantiate(
    bytes: Uint8Array,
    imports: Record<string, unknown>,
  ): Promise<{ instance: { exports: Record<string, unknown> } }>
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly

/**
 * Where the Wasm module writes its panic message before it traps (Prisma's CLI installs the same
 * global). A panic inside one of the engine's futures traps in a microtask, which no caller can
 * catch and which ends the process with a bare `RuntimeError: unreachable`; so the explanation is
 * written to stderr at once, and kept for the cases where the trap does reach our caller.
 */
const panicRegistry = { message: undefined as string | undefined }
;(globalThis as { PRISMA_WASM_PANIC_REGISTRY?: unknown }).PRISMA_WASM_PANIC_REGISTRY = {
  set_message(message: string) {
    panicRegistry.message = message
    process.stderr.write(`Prisma schema engine panicked: ${message}\n`)
  },
}

/** The schema engine panicked (a Prisma bug or an input it cannot handle). */
export class SchemaEnginePanic extends Error {
  constructor(message: string, options: { cause: unknown }) {
    super(`Prisma schema engine panicked: ${message}`, options)
    this.name = 'SchemaEnginePanic'
  }
}

let instantiated: Promise<void> | undefined

/** Loads and starts the Wasm module once per process (its bindings keep module-level state). */
function instantiateEngine(): Promise<void> {
  instantiated ??= (async () => {
    const require = createRequire(import.meta.url)
    const dir = path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg'))
    const bytes = await readFile(path.join(dir, 'schema_engine_bg.wasm'))
    const { instance } = await wasm.instantiate(bytes, { './schema_engine_bg.js': engineModule })
    engineModule.__wbg_set_wasm(instance.exports)
    ;(instance.exports.__wbindgen_start as (() => void) | undefined)?.()
  })()
  return instantiated
}

/** Sends a whole script in one simple-protocol query, mapping failures like adapter-pg does. */
async function executeWholeScript(pool: pg.Pool, script: string): Promise<void> {
  try {
    await pool.query(script)
  } catch (error) {
    const pgError = error as pg.DatabaseError
    if (typeof pgError.code === 'string' && typeof pgError.severity === 'string') {
      throw new DriverAdapterError({
        kind: 'postgres',
        code: pgError.code,
        severity: pgError.severity,
        message: pgError.message,
        detail: pgError.detail,
        column: pgError.column,
        hint: pgError.hint,
        originalCode: pgError.code,
        originalMessage: pgError.message,
      })
    }
    throw error
  }
}

async function connectAdapter(url: string, onDispose?: () => Promise<void>) {
  const pool = new pg.Pool({ connectionString: url, max: 1 })
  // Shadow databases are dropped WITH (FORCE) right after their pool ends; a FATAL reaching a
  // closing connection must not become an uncaught 'error' event.
  const ignore = () => {}
  pool.on('error', ignore)
  pool.on('connect', (client) => client.on('error', ignore))
  const adapter = mapCharColumns(await new PrismaPg(pool, { disposeExternalPool: true }).connect())
  const startTransaction = adapter.startTransaction.bind(adapter)
  adapter.startTransaction = async (isolationLevel) =>
    mapCharColumns(await startTransaction(isolationLevel))
  const dispose = adapter.dispose.bind(adapter)
  adapter.executeScript = (script) => executeWholeScript(pool, script)
  adapter.dispose = async () => {
    await dispose()
    await onDispose?.()
  }
  return adapter as SqlDriverAdapter
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(sql)
  } finally {
    await client.end()
  }
}

/**
 * The adapter factory given to the engine: main database at `url`, shadow databases beside it.
 * It remembers every adapter it opened, because freeing the engine does not dispose them.
 */
function adapterFactory(url: string) {
  const open = new Set<SqlDriverAdapter>()
  const track = async (opening: Promise<SqlDriverAdapter>) => {
    const adapter = await opening
    const dispose = adapter.dispose.bind(adapter)
    adapter.dispose = async () => {
      if (!open.delete(adapter)) return
      await dispose()
    }
    open.add(adapter)
    return adapter
  }
  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: 'postgres',
    adapterName: '@prisma/adapter-pg',
    connect: () => track(connectAdapter(url)),
    async connectToShadowDb() {
      const name = `prisma_shadow_${randomUUID().replaceAll('-', '')}`
      await adminQuery(url, `CREATE DATABASE ${quoteIdentifier(name)}`)
      return track(
        connectAdapter(withDatabaseName(url, name), () =>
          adminQuery(url, `DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`),
        ),
      )
    },
  }
  const disposeAll = async () => {
    await Promise.all([...open].map((adapter) => adapter.dispose()))
  }
  return { factory, disposeAll }
}

/** A Prisma schema file as the engine takes it: path (for messages) and content. */
export interface SchemaFile {
  path: string
  content: string
}

/**
 * Runs `fn` with a schema engine connected to `url` (shadow databases are created beside it and
 * dropped afterwards), then frees the engine.
 *
 * @param log receives the engine's own log lines (JSON strings), for debugging.
 */
export async function withSchemaEngine<T>(
  url: string,
  schemaFiles: readonly SchemaFile[],
  fn: (engine: SchemaEngine) => Promise<T>,
  log: (line: string) => void = () => {},
): Promise<T> {
  await instantiateEngine()
  const { factory, disposeAll } = adapterFactory(url)
  try {
    const engine = await engineModule.SchemaEngine.new(
      { datamodels: schemaFiles.map((file) => [file.path, file.content]) },
      log,
      bindMigrationAwareSqlAdapterFactory(factory),
    )
    try {
      return await fn(engine)
    } catch (error) {
      const panic = panicRegistry.message
      panicRegistry.message = undefined
      if (panic !== undefined) throw new SchemaEnginePanic(panic, { cause: error })
      throw error
    } finally {
      engine.free()
    }
  } finally {
    await disposeAll()
  }
}
