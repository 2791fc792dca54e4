import { describe, expect, it } from 'vitest'
import { httpUrlFromMultiaddr, parseOrigins } from './origins.js'

describe('httpUrlFromMultiaddr', () => {
  it.each([
    ['/ip4/127.0.0.1/tcp/8080/http', 'http://127.0.0.1:8080'],
    ['/ip4/10.0.0.1/tcp/80/http', 'http://10.0.0.1'],
    ['/dns4/gw.example.org/tcp/443/https', 'https://gw.example.org'],
    ['/dns/gw.example.org/tcp/8443/tls/http', 'https://gw.example.org:8443'],
    ['/ip6/::1/tcp/9000/http', 'http://[::1]:9000'],
    [
      '/ip4/127.0.0.1/tcp/8080/http/p2p/12D3KooWGJ6kBDEqZ6Z7e1s5x4kL3aN6v1mQ',
      'http://127.0.0.1:8080',
    ],
  ])('%s → %s', (multiaddr, url) => {
    expect(httpUrlFromMultiaddr(multiaddr)).toBe(url)
  })

  it.each([
    '/ip4/127.0.0.1/tcp/4001',
    '/ip4/127.0.0.1/udp/4001/quic-v1',
    '/ip4/127.0.0.1/tcp/99999/http',
    '/unix/tmp/socket/http',
    'ip4/127.0.0.1/tcp/80/http',
  ])('%s names no HTTP endpoint', (multiaddr) => {
    expect(httpUrlFromMultiaddr(multiaddr)).toBeUndefined()
  })
})

describe('parseOrigins', () => {
  it('splits HTTP endpoints from libp2p peers and drops the rest', () => {
    const peer = '/ip4/1.2.3.4/tcp/4001/p2p/12D3KooWGJ6kBDEqZ6Z7e1s5x4kL3aN6v1mQ'
    expect(
      parseOrigins([
        'https://gateway.example.org/ipfs/',
        'http://127.0.0.1:8080',
        '/ip4/127.0.0.1/tcp/8080/http',
        peer,
        'ftp://example.org',
        'not a url',
        '/ip4/1.2.3.4/tcp/4001',
      ]),
    ).toEqual({ http: ['https://gateway.example.org', 'http://127.0.0.1:8080'], p2p: [peer] })
  })
})
