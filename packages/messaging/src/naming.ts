/**
 * How registry names become server names. A namespace (tests: one per file or per test) prefixes
 * every stream as `NS_<STREAM>` and every subject as `ns.<subject>`, so runs that share a server
 * never share a stream. The default namespace is empty: production names are the registry's.
 */

const namespacePattern = /^[a-z][a-z0-9]{0,31}$/

/**
 * Returns `namespace` when it is empty or a lower-case letter followed by up to 31 lower-case
 * letters and digits (a valid subject token, and a valid stream-name prefix once upper-cased).
 *
 * @throws RangeError for anything else (dots, wildcards, upper case).
 */
export function validateNamespace(namespace: string): string {
  if (namespace !== '' && !namespacePattern.test(namespace)) {
    throw new RangeError(
      `invalid NATS namespace "${namespace}": use a lower-case letter then up to 31 [a-z0-9]`,
    )
  }
  return namespace
}

/** The server-side stream name: `PINS`, or `T1A2B_PINS` in namespace `t1a2b`. */
export function streamName(stream: string, namespace = ''): string {
  return namespace === '' ? stream : `${validateNamespace(namespace).toUpperCase()}_${stream}`
}

/** The server-side subject: `pinion.pins.requested`, or `t1a2b.pinion.pins.requested`. */
export function subjectName(subject: string, namespace = ''): string {
  return namespace === '' ? subject : `${validateNamespace(namespace)}.${subject}`
}

/**
 * The registry subject of a server-side subject, or undefined when it is outside the namespace.
 * The inverse of {@link subjectName}.
 */
export function registrySubject(serverSubject: string, namespace = ''): string | undefined {
  if (namespace === '') return serverSubject
  const prefix = `${namespace}.`
  return serverSubject.startsWith(prefix) ? serverSubject.slice(prefix.length) : undefined
}
