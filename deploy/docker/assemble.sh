#!/bin/sh
# Builds @pinion/<service> and the workspace packages it depends on, then writes what its image
# runs to <out>: the package's dist/ and package.json with only its production dependencies in
# node_modules (workspace packages copied in, optional peers such as the Prisma CLI left out).
# The Dockerfile's build stage runs this; test/test/image.test.ts runs it outside Docker and
# starts the result, since no Docker engine is available to CI.
#
#   deploy/docker/assemble.sh <service> <out> [--no-build]   from the repository root, after
#                                                             pnpm install; --no-build when the
#                                                             package is built already
set -eu
usage="usage: assemble.sh <service> <out> [--no-build]"
service=${1:?$usage}
out=${2:?$usage}
if [ -e "$out" ]; then
  echo "assemble.sh: $out already exists" >&2
  exit 1
fi
if [ "${3:-}" != "--no-build" ]; then
  pnpm exec turbo run build --filter="@pinion/${service}..." --output-logs=errors-only
fi
# --legacy: the workspace does not inject its packages, and pnpm 10 deploys only injected ones
# otherwise. A legacy deploy resolves versions again, which needs registry metadata that a
# `pnpm install --frozen-lockfile` never downloads, so --prefer-offline rather than --offline:
# packages still come from the store that install filled.
pnpm --filter "@pinion/${service}" deploy --legacy --prod --no-optional --prefer-offline \
  --reporter=append-only "$out" >/dev/null
# Sources, tests and build metadata of the package itself are not needed at run time.
rm -rf "$out/src" "$out/test" "$out/.turbo" "$out"/tsconfig*.json "$out"/*.tsbuildinfo \
  "$out"/vitest.config.*
test -f "$out/dist/main.js"
