import { ConfigError, parseConfig } from '@pinion/service-kit'
import { describe, expect, it } from 'vitest'
import { blockstoreSchema } from './config.js'

describe('blockstoreSchema', () => {
  it('defaults to the local backend with no gateways', () => {
    const config = parseConfig(blockstoreSchema, {})
    expect(config.BLOCKSTORE).toBe('local')
    expect(config.BLOCKSTORE_PATH).toBe('./.pinion/blocks')
    expect(config.KUBO_RPC_URL).toBe('http://127.0.0.1:5001')
    expect(config.TRUSTLESS_GATEWAYS).toEqual([])
    expect(config.PIN_FETCH_TIMEOUT_MS).toBe(600_000)
  })

  it('parses a gateway list and coerces numbers', () => {
    const config = parseConfig(blockstoreSchema, {
      BLOCKSTORE: 'kubo',
      TRUSTLESS_GATEWAYS: 'https://a.example, http://127.0.0.1:8080',
      PIN_FETCH_TIMEOUT_MS: '1500',
    })
    expect(config.TRUSTLESS_GATEWAYS).toEqual(['https://a.example', 'http://127.0.0.1:8080'])
    expect(config.PIN_FETCH_TIMEOUT_MS).toBe(1500)
  })

  it('names every bad variable', () => {
    let error: unknown
    try {
      parseConfig(blockstoreSchema, {
        BLOCKSTORE: 's3',
        KUBO_RPC_URL: 'ftp://x',
        TRUSTLESS_GATEWAYS: 'not a url',
        PIN_FETCH_TIMEOUT_MS: 'soon',
      })
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(ConfigError)
    const names = (error as ConfigError).problems.map((problem) => problem.split(/[.:]/)[0])
    expect(new Set(names)).toEqual(
      new Set(['BLOCKSTORE', 'KUBO_RPC_URL', 'TRUSTLESS_GATEWAYS', 'PIN_FETCH_TIMEOUT_MS']),
    )
  })
})
