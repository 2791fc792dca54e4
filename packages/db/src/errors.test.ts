import { ServiceUnavailableError } from '@pinion/service-kit'
import { describe, expect, it } from 'vitest'
import { isDatabaseUnavailableError, isUniqueViolation, translateDatabaseError } from './errors.js'

// Shapes as Prisma 7 / adapter-pg / pg produce them (recorded against Postgres 15 through a
// proxy that was cut; the integration tests exercise the real ones).
function prismaError(code: string, message: string, adapterCause?: object) {
  return Object.assign(new Error(message), {
    name: 'PrismaClientKnownRequestError',
    code,
    meta: adapterCause
      ? { driverAdapterError: Object.assign(new Error('x'), { cause: adapterCause }) }
      : {},
  })
}

describe('isDatabaseUnavailableError', () => {
  it.each([
    ['P1001 unreachable', prismaError('P1001', "Can't reach database server")],
    ['P1017 closed', prismaError('P1017', 'Server has closed the connection.')],
    [
      'P2010 around ConnectionClosed',
      prismaError('P2010', 'Raw query failed.', { kind: 'ConnectionClosed' }),
    ],
    ['pg terminated', new Error('Connection terminated unexpectedly')],
    [
      'pool connect timeout with cause',
      new Error('Connection terminated due to connection timeout', {
        cause: new Error('Connection terminated unexpectedly'),
      }),
    ],
    ['pool busy', new Error('timeout exceeded when trying to connect')],
    ['socket refused', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
    ['admin shutdown', Object.assign(new Error('terminating connection'), { code: '57P01' })],
    [
      'P2028 no connection in time',
      prismaError(
        'P2028',
        'Transaction API error: Unable to start a transaction in the given time.',
      ),
    ],
  ])('recognises %s', (_label, error) => {
    expect(isDatabaseUnavailableError(error)).toBe(true)
    const translated = translateDatabaseError(error)
    expect(translated).toBeInstanceOf(ServiceUnavailableError)
    expect(translated?.cause).toBe(error)
  })

  it.each([
    [
      'unique violation',
      prismaError('P2002', 'Unique constraint failed', { kind: 'UniqueConstraintViolation' }),
    ],
    ['missing table', prismaError('P2021', 'The table does not exist')],
    ['transaction expired', prismaError('P2028', 'Transaction already closed')],
    ['plain error', new Error('boom')],
    ['not an error', 'Connection terminated'],
    ['null', null],
  ])('leaves %s alone', (_label, error) => {
    expect(isDatabaseUnavailableError(error)).toBe(false)
    expect(translateDatabaseError(error)).toBeUndefined()
  })

  it('survives cyclic causes', () => {
    const a: { cause?: unknown; message: string } = { message: 'a' }
    a.cause = { message: 'b', cause: a }
    expect(isDatabaseUnavailableError(a)).toBe(false)
  })
})

describe('isUniqueViolation', () => {
  it('matches Prisma, adapter and raw SQLSTATE shapes, optionally by constraint', () => {
    const prisma = prismaError(
      'P2002',
      'Unique constraint failed on the constraint: `users_email_key`',
    )
    expect(isUniqueViolation(prisma)).toBe(true)
    expect(isUniqueViolation(prisma, 'users_email_key')).toBe(true)
    expect(isUniqueViolation(prisma, 'pins_pkey')).toBe(false)
    const raw = prismaError('P2010', 'Raw query failed', {
      kind: 'UniqueConstraintViolation',
      constraint: { index: 'pins_user_id_created_key' },
    })
    expect(isUniqueViolation(raw, 'pins_user_id_created_key')).toBe(true)
    expect(isUniqueViolation(Object.assign(new Error('dup'), { code: '23505' }))).toBe(true)
    expect(isUniqueViolation(new Error('Connection terminated unexpectedly'))).toBe(false)
  })
})
