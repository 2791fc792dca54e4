/**
 * Reads `.env.example` files: `NAME=value` is a variable the example sets, `# NAME=value` one it
 * documents with its default (or an example) without setting it; other comment lines are prose.
 */
import { readFile } from 'node:fs/promises'
import type { z } from 'zod'

/** What an `.env.example` documents. */
export interface EnvExample {
  /** Variables the example sets, with their values. */
  readonly set: Map<string, string>
  /** Every variable it names, set or commented out. */
  readonly names: Set<string>
}

const variableLine = /^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$/

/** Parses the text of an `.env.example`. */
export function parseEnvExample(text: string): EnvExample {
  const set = new Map<string, string>()
  const names = new Set<string>()
  for (const line of text.split('\n')) {
    const match = variableLine.exec(line.trim())
    if (!match) continue
    const [, comment, name, value] = match
    names.add(name!)
    if (comment === undefined) set.set(name!, value!)
  }
  return { set, names }
}

/** Reads and parses an `.env.example` file. @throws when it does not exist. */
export async function readEnvExample(path: string): Promise<EnvExample> {
  return parseEnvExample(await readFile(path, 'utf8'))
}

/**
 * The variable names a service's `ConfigSchema` reads: the keys of its object schema, looking
 * through refinements, pipes and transforms.
 * @throws when the schema is not built on an object.
 */
export function schemaVariables(schema: z.ZodType): string[] {
  const def = (schema as unknown as { def: { type: string; in?: z.ZodType; shape?: object } }).def
  if (def.type === 'object' && def.shape) return Object.keys(def.shape)
  if (def.type === 'pipe' && def.in) return schemaVariables(def.in)
  throw new Error(`cannot list the variables of a ${def.type} schema`)
}
