#!/usr/bin/env bash
# Runs every check and test of the repository: installs what is missing first (pnpm, dependencies,
# PostgreSQL and NATS JetStream only when none is listening, Chromium for the dashboard's browser
# tests), then lint, format, typecheck, unit tests, integration tests, and prints one closing line.
set -euo pipefail
cd "$(dirname "$0")/../.."
source deploy/local/lib/prereqs.sh

mkdir -p "$PINION_STATE_DIR"
ensure_pnpm
ensure_postgres
ensure_test_role
ensure_nats
ensure_chromium
ensure_dependencies

export TURBO_TELEMETRY_DISABLED=1
export PINION_TEST_REPORT=1
export PINION_TEST_NATS_URL=${PINION_TEST_NATS_URL:-$NATS_URL}

find . -path ./node_modules -prune -o -type d -name .reports -prune -exec rm -rf {} + 2>/dev/null || true

status=0
say "build, lint, format, typecheck"
pnpm exec turbo run build lint --output-logs=errors-only || status=1
pnpm exec prettier --check . --log-level warn || status=1
pnpm exec tsc -b tsconfig.json || status=1
# Tests are excluded from the build projects; this typechecks them against the sources.
pnpm exec tsc -p tsconfig.tests.json || status=1

say "unit and integration tests"
pnpm exec turbo run test test:integration --continue --concurrency=2 --output-logs=new-only || status=1

node deploy/local/summarize-tests.mjs || status=1
exit $status
