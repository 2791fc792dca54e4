// Loaded with `node --import` in front of @ipfs-shipyard/pinning-service-compliance (archived,
// frozen at 1.8.1). Two of its constants are fixed where this machine cannot follow them, so a
// module hook rewrites them as the module loads (nothing in node_modules is modified):
// - specLocation: the spec is downloaded from raw.githubusercontent.com, unreachable here and in
//   CI; offline, four of the nine checks are skipped silently. PSA_SPEC_PATH names a local copy.
// - docsDir: reports go inside the installed package, keyed by hostname; PSA_DOCS_DIR moves them
//   to a folder of the test's own.
import { register } from 'node:module'

register('./compliance-hooks.mjs', import.meta.url)
