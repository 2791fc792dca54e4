import { describe, expect, it } from 'vitest'
import { isEmptyMigrationScript, migrationDirectoryName } from './migration-name.js'

describe('migrationDirectoryName', () => {
  it('prefixes the UTC timestamp Prisma uses', () => {
    expect(migrationDirectoryName('add_pin_index', new Date('2026-03-04T05:06:07.890Z'))).toBe(
      '20260304050607_add_pin_index',
    )
  })

  it.each(['', 'Add', 'add-index', 'add index', '_x', 'x_', 'a__b', 'x'.repeat(201)])(
    'rejects %j',
    (name) => {
      expect(() => migrationDirectoryName(name, new Date())).toThrow(RangeError)
    },
  )
})

describe('isEmptyMigrationScript', () => {
  it('treats comments and blank lines as empty', () => {
    expect(isEmptyMigrationScript('')).toBe(true)
    expect(isEmptyMigrationScript('-- This is an empty migration.\n\n')).toBe(true)
    expect(isEmptyMigrationScript('-- AlterTable\nALTER TABLE "users" ADD COLUMN "x" INT;\n')).toBe(
      false,
    )
  })
})
