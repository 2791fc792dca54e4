#!/usr/bin/env bash
# Sets up and starts the whole Pinion stack on this machine: installs what is missing (pnpm,
# dependencies, and PostgreSQL / NATS JetStream only when none is listening), builds, migrates,
# creates the first admin account and API token, prints the URL, and runs every service in one
# process on one port (Ctrl-C stops it). Idempotent: run it again to restart with the same data.
set -euo pipefail
cd "$(dirname "$0")/../.."
source deploy/local/lib/prereqs.sh

PINION_PORT=${PINION_PORT:-8080}
ENV_FILE="$PINION_STATE_DIR/local.env"

mkdir -p "$PINION_STATE_DIR"
ensure_pnpm
ensure_postgres
ensure_nats
ensure_dependencies

say "building"
TURBO_TELEMETRY_DISABLED=1 pnpm exec turbo run build --output-logs=errors-only >/dev/null ||
  { pnpm exec turbo run build --output-logs=errors-only; die "build failed"; }

# Adds a line once; generated secrets stay the same across restarts.
append_once() { grep -q "^$1=" "$ENV_FILE" || (umask 077 && echo "$1=$2" >>"$ENV_FILE"); }
random_secret() { node -e "process.stdout.write(require('node:crypto').randomBytes($1).toString('base64url'))"; }
if [ ! -f "$ENV_FILE" ]; then
  say "writing $ENV_FILE (embedded defaults; edit to change)"
  umask 077
  cat >"$ENV_FILE" <<ENV
# Local Pinion stack: every service in one process. Generated once by deploy/local/start.sh.
PORT=$PINION_PORT
HOST=127.0.0.1
PUBLIC_URL=http://localhost:$PINION_PORT
LOG_LEVEL=info
DATABASE_URL=$DATABASE_URL
NATS_URL=$NATS_URL
BLOCKSTORE=local
BLOCKSTORE_PATH=$PINION_STATE_DIR/blocks
AUTH_SIGNING_KEY_FILE=$PINION_STATE_DIR/auth-signing-key.pem
PROVER_SECRETS_KEY_FILE=$PINION_STATE_DIR/prover-secrets.key
ENV
fi
# Secrets and the first login, generated once (also into env files of an older start.sh).
grep -q '^PROVER_SECRETS_KEY' "$ENV_FILE" ||
  echo "PROVER_SECRETS_KEY_FILE=$PINION_STATE_DIR/prover-secrets.key" >>"$ENV_FILE"
append_once SESSION_SECRET "$(random_secret 32)"
append_once PINION_ADMIN_EMAIL admin@pinion.local
append_once PINION_ADMIN_PASSWORD "$(random_secret 12)"
set -a
# shellcheck disable=SC1090
. "$ENV_FILE"
set +a

pinion() { LOG_LEVEL=warn node packages/cli/bin/pinion.js "$@"; }

pinion keys generate --out "$AUTH_SIGNING_KEY_FILE" 2>/dev/null
if [ -n "${PROVER_SECRETS_KEY_FILE:-}" ] && [ ! -s "$PROVER_SECRETS_KEY_FILE" ]; then
  # Seals the prover's tagging secrets at rest: losing it makes server-tagged keys unusable.
  (umask 077 && node -e 'process.stdout.write(require("node:crypto").randomBytes(32).toString("hex"))' >"$PROVER_SECRETS_KEY_FILE")
fi
say "migrating the database"
pinion migrate >/dev/null
# The admin's dashboard password is set once (new account, or one made by an older start.sh);
# after that a password changed in the dashboard is kept, not reset at every start.
PASSWORD_MARK="$PINION_STATE_DIR/admin-password-set"
printf '%s' "$PINION_ADMIN_PASSWORD" |
  pinion user create "$PINION_ADMIN_EMAIL" --admin --if-missing --password-stdin >/dev/null
if [ ! -f "$PASSWORD_MARK" ]; then
  printf '%s' "$PINION_ADMIN_PASSWORD" | pinion user set-password "$PINION_ADMIN_EMAIL" --stdin >/dev/null
  touch "$PASSWORD_MARK"
fi
TOKEN_FILE="$PINION_STATE_DIR/first-token"
if [ ! -s "$TOKEN_FILE" ]; then
  (umask 077 && pinion token create --email "$PINION_ADMIN_EMAIL" --name "first token (start.sh)" 2>/dev/null >"$TOKEN_FILE")
fi

cat >&2 <<BANNER

  Pinion is starting at   $PUBLIC_URL
  Dashboard sign-in       $PINION_ADMIN_EMAIL / $PINION_ADMIN_PASSWORD  (as first set)
  First API token         $(cat "$TOKEN_FILE")

  Try it:  curl -H "Authorization: Bearer \$(cat $TOKEN_FILE)" $PUBLIC_URL/pinning/api/v1/pins
  Settings and secrets live in $PINION_STATE_DIR (git-ignored). Ctrl-C stops the stack.

BANNER
# glibc keeps one malloc arena per thread; with libuv's file-system threads writing uploads, freed
# buffers then stay resident. Two arenas keep a 1 GiB upload's memory flat (services/upload).
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
# Socket reads are 64 KiB buffers: with glibc's sliding mmap threshold they end up in the heap
# and fragment it; a fixed threshold returns each one to the kernel when freed.
export MALLOC_MMAP_THRESHOLD_=${MALLOC_MMAP_THRESHOLD_:-65536}
exec node services/all-in-one/dist/main.js
