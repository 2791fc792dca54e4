/**
 * `Promise.withResolvers` (ES2024) for Node 20: parts of js-ipfs's dependency tree call it, and
 * Node 20 lacks it (`TypeError: Promise.withResolvers is not a function`). Importing this module
 * installs a spec-shaped version once; on Node 22+ it does nothing.
 */
interface Resolvers<T> {
  promise: Promise<T>
  resolve: (value: T | PromiseLike<T>) => void
  reject: (reason?: unknown) => void
}

type PromiseWithResolvers = PromiseConstructor & { withResolvers?: <T>() => Resolvers<T> }

const PromiseCtor = Promise as PromiseWithResolvers

if (typeof PromiseCtor.withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers<T>(this: PromiseConstructor): Resolvers<T> {
      let resolve!: Resolvers<T>['resolve']
      let reject!: Resolvers<T>['reject']
      const promise = new this<T>((res, rej) => {
        resolve = res
        reject = rej
      })
      return { promise, resolve, reject }
    },
  })
}

export {}
