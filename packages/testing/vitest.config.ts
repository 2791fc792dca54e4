import { definePinionVitestConfig } from './vitest-preset.js'

export default definePinionVitestConfig()
