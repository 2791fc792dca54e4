import net from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTcpProxy, type TcpProxy } from '../src/index.js'

let echo: net.Server
let echoPort: number
beforeAll(async () => {
  echo = net.createServer((socket) => socket.pipe(socket))
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve))
  echoPort = (echo.address() as net.AddressInfo).port
})
afterAll(async () => {
  await new Promise<void>((resolve) => echo.close(() => resolve()))
})

/** Connects, sends `text`, and resolves with what came back or with how the socket ended. */
function roundTrip(proxy: TcpProxy, text: string, timeoutMs = 500): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(proxy.port, proxy.host)
    const timer = setTimeout(() => {
      socket.destroy()
      resolve('timeout')
    }, timeoutMs)
    socket.on('error', () => {})
    socket.on('data', (data) => {
      clearTimeout(timer)
      socket.end()
      resolve(data.toString())
    })
    socket.on('close', () => {
      clearTimeout(timer)
      resolve('closed')
    })
    socket.write(text)
  })
}

describe('createTcpProxy', () => {
  it('forwards, cuts (reset or blackhole) and restores', async () => {
    const proxy = await createTcpProxy({ host: '127.0.0.1', port: echoPort })
    try {
      expect(await roundTrip(proxy, 'hello')).toBe('hello')

      proxy.cut('reset')
      expect(await roundTrip(proxy, 'x')).toBe('closed')

      proxy.cut('blackhole')
      expect(await roundTrip(proxy, 'x', 300)).toBe('timeout')

      proxy.restore()
      expect(await roundTrip(proxy, 'back')).toBe('back')
    } finally {
      await proxy.close()
    }
  })

  it('drops open connections when cut and counts the live ones', async () => {
    const proxy = await createTcpProxy({ host: '127.0.0.1', port: echoPort })
    try {
      const socket = net.connect(proxy.port, proxy.host)
      socket.on('error', () => {})
      await new Promise((resolve) => socket.once('connect', resolve))
      await expect.poll(() => proxy.activeConnections).toBe(1)
      const closed = new Promise((resolve) => socket.once('close', resolve))
      proxy.cut()
      await closed
      expect(proxy.activeConnections).toBe(0)
    } finally {
      await proxy.close()
    }
  })

  it('rewrites a URL to go through the proxy', async () => {
    const proxy = await createTcpProxy({ host: '127.0.0.1', port: echoPort })
    try {
      expect(proxy.rewriteUrl('postgresql://u:p@db.internal:5432/app?sslmode=disable')).toBe(
        `postgresql://u:p@127.0.0.1:${proxy.port}/app?sslmode=disable`,
      )
    } finally {
      await proxy.close()
    }
  })
})
