// Sums the vitest JSON reports every package wrote (.reports/*.json) into one closing line,
// "tests: N passed, N failed, N skipped", and exits non-zero if any test failed or a package that
// has tests wrote no report (a crashed runner must not look like a pass).
import { readFileSync, readdirSync, existsSync } from 'node:fs'
import { join } from 'node:path'

const roots = ['packages', 'services', 'test'].filter((dir) => existsSync(dir))
const packageDirs = roots.flatMap((root) =>
  root === 'test'
    ? [root]
    : readdirSync(root, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => join(root, d.name)),
)

let passed = 0
let failed = 0
let skipped = 0
const problems = []
for (const dir of packageDirs) {
  const reportDir = join(dir, '.reports')
  if (!existsSync(reportDir)) continue
  for (const file of readdirSync(reportDir).filter((name) => name.endsWith('.json'))) {
    const report = JSON.parse(readFileSync(join(reportDir, file), 'utf8'))
    passed += report.numPassedTests ?? 0
    failed += report.numFailedTests ?? 0
    skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0)
    if (report.success === false && (report.numFailedTests ?? 0) === 0) {
      problems.push(`${dir}/${file}: the run failed outside any test (suite error)`)
      failed += 1
    }
  }
}
for (const problem of problems) console.log(problem)
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`)
process.exit(failed > 0 || passed === 0 ? 1 : 0)
