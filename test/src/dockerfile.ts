/**
 * The Dockerfile as build stages of instructions, for static checks (no Docker engine here).
 */
import { DockerfileParser } from 'dockerfile-ast'

/** One instruction: its keyword (upper case) and its arguments as written, flags included. */
export interface Instruction {
  keyword: string
  args: string
}

/** One build stage: its FROM image, its name (`AS x`), and its instructions after FROM. */
export interface Stage {
  from: string
  name: string | undefined
  instructions: Instruction[]
}

/** A parsed Dockerfile: the ARGs before the first FROM (name → default) and the stages. */
export interface ParsedDockerfile {
  globalArgs: Map<string, string>
  stages: Stage[]
}

/** Parses Dockerfile text (line continuations joined, comments dropped). */
export function parseDockerfile(text: string): ParsedDockerfile {
  const dockerfile = DockerfileParser.parse(text)
  const globalArgs = new Map<string, string>()
  for (const arg of dockerfile.getInitialARGs()) {
    const property = arg.getProperty()
    if (property?.getName()) globalArgs.set(property.getName(), property.getValue() ?? '')
  }
  const stages: Stage[] = []
  for (const instruction of dockerfile.getInstructions()) {
    const keyword = instruction.getKeyword().toUpperCase()
    // The whole instruction text (flags such as --from and --mount included), continuations joined.
    const args = instruction
      .getTextContent()
      .slice(instruction.getInstruction().length)
      .replace(/\\\r?\n\s*/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
    if (keyword === 'FROM') {
      const [from = '', as, name] = args.split(/\s+/)
      stages.push({ from, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] })
    } else {
      stages.at(-1)?.instructions.push({ keyword, args })
    }
  }
  return { globalArgs, stages }
}

/** The instructions of a stage with one keyword. */
export function instructionsOf(stage: Stage, keyword: string): Instruction[] {
  return stage.instructions.filter((instruction) => instruction.keyword === keyword)
}
