/**
 * Small helpers over `postgresql://` URLs. The migration runner and the test harness need the same
 * server with another database name (shadow and template databases), which is a URL edit: pg lets
 * `connectionString` win over discrete fields, so changing the path is the only reliable way.
 */

/**
 * The same URL pointing at another database on the same server; user, password, host, port and
 * query parameters (sslmode, …) are kept.
 *
 * @throws TypeError when `url` is not a URL.
 */
export function withDatabaseName(url: string, database: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${encodeURIComponent(database)}`
  return parsed.toString()
}

/** The URL with its password replaced by `***`, for logs and error messages. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password !== '') parsed.password = '***'
    return parsed.toString()
  } catch {
    return '<invalid database URL>'
  }
}

/** Double-quotes an SQL identifier (database names in CREATE/DROP DATABASE cannot be parameters). */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}
