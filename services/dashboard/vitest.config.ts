import { definePinionVitestConfig } from '@pinion/testing/vitest'

const config = definePinionVitestConfig()

// The web app's component and helper tests run with the unit tests: React renders to a string in
// Node (react-dom/server), so they need no DOM emulation.
for (const project of config.test?.projects ?? []) {
  if (typeof project === 'object' && 'test' in project && project.test?.name === 'unit') {
    project.test.include = [...(project.test.include ?? []), 'web/src/**/*.test.{ts,tsx}']
  }
}

export default config
