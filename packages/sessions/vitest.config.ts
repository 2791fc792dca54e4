import { definePinionVitestConfig } from '@pinion/testing/vitest'

export default definePinionVitestConfig()
