import { ConfigError, parseConfig } from '@pinion/service-kit'
import { describe, expect, it } from 'vitest'
import { natsSchema } from './config.js'

describe('natsSchema', () => {
  it('defaults to the local server, no namespace, one replica', () => {
    expect(parseConfig(natsSchema, {})).toEqual({
      NATS_URL: ['nats://127.0.0.1:4222'],
      NATS_NAMESPACE: '',
      NATS_STREAM_REPLICAS: 1,
    })
  })

  it('reads a server list, a namespace and replicas', () => {
    const config = parseConfig(natsSchema, {
      NATS_URL: 'nats://a:4222, tls://b:4222',
      NATS_NAMESPACE: 'staging2',
      NATS_STREAM_REPLICAS: '3',
    })
    expect(config).toEqual({
      NATS_URL: ['nats://a:4222', 'tls://b:4222'],
      NATS_NAMESPACE: 'staging2',
      NATS_STREAM_REPLICAS: 3,
    })
  })

  it('names every bad variable', () => {
    const attempt = () =>
      parseConfig(natsSchema, {
        NATS_URL: 'http://a:4222',
        NATS_NAMESPACE: 'Bad.Name',
        NATS_STREAM_REPLICAS: '0',
      })
    expect(attempt).toThrow(ConfigError)
    try {
      attempt()
    } catch (error) {
      const names = (error as ConfigError).problems.map((problem) => problem.split(/[.:]/)[0])
      expect(new Set(names)).toEqual(
        new Set(['NATS_URL', 'NATS_NAMESPACE', 'NATS_STREAM_REPLICAS']),
      )
      expect((error as ConfigError).message).not.toContain('Bad.Name')
    }
  })
})
