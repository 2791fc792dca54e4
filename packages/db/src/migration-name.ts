/**
 * Pure rules for naming migration folders and recognising empty diffs, kept apart from the
 * engine so they can be unit-tested.
 */

const namePattern = /^[a-z0-9]+(?:_[a-z0-9]+)*$/

/**
 * The folder name Prisma uses for a migration: `<UTC yyyyMMddHHmmss>_<name>`.
 *
 * @param name snake_case, lower case (`add_pin_index`).
 * @throws RangeError when `name` is not snake_case or longer than 200 characters.
 */
export function migrationDirectoryName(name: string, now: Date): string {
  if (!namePattern.test(name) || name.length > 200) {
    throw new RangeError(`Migration name must be snake_case (a-z, 0-9, _), got "${name}"`)
  }
  const stamp = now.toISOString().replace(/[-:T]/g, '').slice(0, 14)
  return `${stamp}_${name}`
}

/** Whether a diff script the engine produced changes nothing (only comments and blank lines). */
export function isEmptyMigrationScript(script: string): boolean {
  return script
    .split('\n')
    .map((line) => line.trim())
    .every((line) => line === '' || line.startsWith('--'))
}
