# shellcheck shell=bash
# Helpers shared by run.sh and test.sh: find or install the PostgreSQL server binaries and drive a private cluster.
# PostgreSQL refuses to run as root, so when we are root the cluster runs as the `postgres` system user that the
# Debian package creates, and its directory is owned by that user.

die() { echo "error: $*" >&2; exit 1; }

pg_find_bindir() {
  local dir
  if command -v pg_config >/dev/null 2>&1; then
    dir=$(pg_config --bindir 2>/dev/null || true)
    [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
  fi
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
  done
  if command -v initdb >/dev/null 2>&1; then dirname "$(readlink -f "$(command -v initdb)")"; return 0; fi
  return 1
}

# Sets PG_BIN, installing the server with apt-get when it is missing and we may.
pg_ensure_installed() {
  if PG_BIN=$(pg_find_bindir); then return 0; fi
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    die "PostgreSQL server not found (no initdb). Install it, e.g. as root: apt-get install postgresql postgresql-contrib"
  fi
  echo "PostgreSQL server not found: installing it with apt-get (postgresql, postgresql-contrib)..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null || die "apt-get update failed"
  apt-get install -y -qq postgresql postgresql-contrib >/dev/null || die "apt-get install postgresql failed"
  PG_BIN=$(pg_find_bindir) || die "PostgreSQL installed but initdb still not found"
}

# Runs a PostgreSQL binary as the cluster owner.
# The independent checkers the notice tests use: dmtxread (Data Matrix), zbarimg (QR), pdftotext/pdftoppm (poppler),
# qpdf. Installed with apt-get when missing (as root); otherwise those tests skip locally and fail under CI.
ensure_tools() {
  local missing=()
  command -v dmtxread >/dev/null 2>&1 || missing+=(dmtx-utils)
  command -v zbarimg >/dev/null 2>&1 || missing+=(zbar-tools)
  for tool in pdftotext pdftoppm pdfinfo pdffonts; do command -v "$tool" >/dev/null 2>&1 || { missing+=(poppler-utils); break; }; done
  command -v qpdf >/dev/null 2>&1 || missing+=(qpdf)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "warning: missing ${missing[*]} (apt-get install them); the notice tests that need them will skip (fail under CI)" >&2
    return 0
  fi
  echo "installing the notice test tools with apt-get (${missing[*]})..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null || die "apt-get update failed"
  apt-get install -y -qq "${missing[@]}" >/dev/null || die "apt-get install ${missing[*]} failed"
}

pg_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || die "running as root needs the 'postgres' system user (created by the Debian postgresql package)"
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# The directory for a cluster that should live at WANTED: WANTED itself, or, when we are root and the postgres user
# cannot traverse the checkout (a clone under /root, mode 700), a directory under /var/lib/pgw linked from WANTED.
pg_cluster_dir() {
  local wanted=$1 parent real
  parent=$(dirname "$wanted")
  mkdir -p "$parent"
  if [ "$(id -u)" -ne 0 ] || runuser -u postgres -- test -x "$parent" 2>/dev/null; then
    echo "$wanted"; return 0
  fi
  real=/var/lib/pgw/$(echo "$wanted" | sha256sum | cut -c1-16)/pg
  mkdir -p "$(dirname "$real")"
  chmod 755 /var/lib/pgw "$(dirname "$real")"
  [ -L "$wanted" ] || { rm -rf "$wanted"; ln -s "$real" "$wanted"; }
  echo "$real"
}

# Prints the HTTP status code of GET PATH on 127.0.0.1:PORT (no curl on a fresh machine).
http_status() {
  local port=$1 path=$2 line
  exec 3<>"/dev/tcp/127.0.0.1/$port" || return 1
  printf 'GET %s HTTP/1.0\r\nHost: localhost\r\n\r\n' "$path" >&3
  read -r line <&3 || true
  exec 3<&- 3>&-
  echo "$line" | awk '{print $2}'
}

# A port is busy when something listens on it, or when any local TCP socket holds it: our default ports are inside
# Linux's ephemeral range (32768-60999), so an outgoing connection can own the port and make a server's bind fail even
# though nothing listens (seen after a benchmark's thousands of connections).
port_busy() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
  local hex
  hex=$(printf ':%04X ' "$1")
  cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | awk '{print $2}' | grep -q -- "${hex% }\$"
}

# pg_cluster_init DIR PORT [extra postgresql.conf lines...]
pg_cluster_init() {
  local dir=$1 port=$2; shift 2
  mkdir -p "$dir"
  chmod 700 "$dir"
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres "$dir"
    runuser -u postgres -- test -w "$dir" || die "the postgres user cannot write $dir"
  fi
  pg_as_owner "$PG_BIN/initdb" -D "$dir" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/../initdb.log" 2>&1 \
    || { cat "$dir/../initdb.log" >&2; die "initdb failed for $dir"; }
  {
    echo "# written by scripts/pg-cluster.sh"
    echo "listen_addresses = '127.0.0.1'"
    echo "port = $port"
    # TCP on 127.0.0.1 only: a socket under a deep checkout path would exceed the ~107-byte socket path limit.
    echo "unix_socket_directories = ''"
    echo "max_connections = 200"
    echo "shared_buffers = 256MB"
    for line in "$@"; do echo "$line"; done
  } | pg_as_owner tee -a "$dir/postgresql.conf" >/dev/null
}

pg_cluster_running() { [ -f "$1/postmaster.pid" ] && pg_as_owner "$PG_BIN/pg_ctl" -D "$1" status >/dev/null 2>&1; }

# pg_cluster_start DIR LOGFILE
pg_cluster_start() {
  local dir=$1 log=$2
  touch "$log"; [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$log"
  pg_as_owner "$PG_BIN/pg_ctl" -D "$dir" -l "$log" -w -t 60 start >/dev/null \
    || { tail -n 20 "$log" >&2; die "PostgreSQL did not start (log: $log)"; }
}

# pg_cluster_stop DIR [mode]
pg_cluster_stop() {
  pg_cluster_running "$1" && pg_as_owner "$PG_BIN/pg_ctl" -D "$1" -m "${2:-fast}" -w stop >/dev/null 2>&1 || true
}
