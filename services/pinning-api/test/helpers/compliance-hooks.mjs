// Module hooks for compliance-loader.mjs.
const target = '/@ipfs-shipyard/pinning-service-compliance/dist/src/utils/constants.js'

export async function load(url, context, nextLoad) {
  const loaded = await nextLoad(url, context)
  if (!url.endsWith(target)) return loaded
  const source = String(loaded.source)
    .replace(
      /^const specLocation = (.*);$/m,
      'const specLocation = process.env.PSA_SPEC_PATH ?? $1;',
    )
    .replace(/^const docsDir = (.*);$/m, 'const docsDir = process.env.PSA_DOCS_DIR ?? $1;')
  if (!source.includes('PSA_SPEC_PATH') || !source.includes('PSA_DOCS_DIR')) {
    throw new Error('pinning-service-compliance constants.js changed; update compliance-hooks.mjs')
  }
  return { ...loaded, source, shortCircuit: true }
}
