import { useCallback, useEffect, useRef, useState } from 'react'
import { api } from '../api/client.js'

export interface Loaded<T> {
  readonly data: T | undefined
  readonly error: unknown
  readonly loading: boolean
  /** Fetches again; resolves once the new answer (or error) is in. */
  reload(): Promise<void>
}

interface Answer<T> {
  readonly path?: string
  readonly generation?: number
  readonly data?: T
  readonly error?: unknown
}

/** GETs `path` (again whenever it changes or on `reload()`), keeping the last good answer. */
export function useApi<T>(path: string | undefined): Loaded<T> {
  const [answer, setAnswer] = useState<Answer<T>>({})
  const [generation, setGeneration] = useState(0)
  const waiting = useRef<(() => void)[]>([])

  useEffect(() => {
    if (path === undefined) return
    let current = true
    const settle = (next: Answer<T>) => {
      if (!current) return
      setAnswer((previous) => ({ data: previous.data, ...next }))
      for (const resolve of waiting.current.splice(0)) resolve()
    }
    api<T>('GET', path).then(
      (data) => settle({ path, generation, data, error: undefined }),
      (error: unknown) => settle({ path, generation, error }),
    )
    return () => {
      current = false
    }
  }, [path, generation])

  const reload = useCallback(
    () =>
      new Promise<void>((resolve) => {
        waiting.current.push(resolve)
        setGeneration((previous) => previous + 1)
      }),
    [],
  )

  const loading = path !== undefined && (answer.path !== path || answer.generation !== generation)
  return { data: answer.data, error: answer.error, loading, reload }
}
