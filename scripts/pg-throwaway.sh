#!/usr/bin/env bash
# Throwaway PostgreSQL cluster for tests.
#
#   scripts/pg-throwaway.sh find              print the PostgreSQL bin dir (exit 3 if none)
#   scripts/pg-throwaway.sh start             start a cluster; prints shell assignments:
#                                               PG_THROWAWAY_DIR=... DANVAN_TEST_POSTGRES=...
#                                             use: eval "$(scripts/pg-throwaway.sh start)"
#   scripts/pg-throwaway.sh stop DIR          stop the cluster in DIR and delete DIR
#   scripts/pg-throwaway.sh run -- CMD...     start, run CMD with DANVAN_TEST_POSTGRES set, stop
#
# The cluster listens on 127.0.0.1 on a free port (unix socket inside its own temp dir),
# uses trust auth, superuser "postgres", and has an empty database "danvan_test".
# As root, initdb/pg_ctl run as the "postgres" OS user (runuser, else su).
# Binaries: $PG_BIN if set, else initdb/pg_ctl on PATH, else newest /usr/lib/postgresql/*/bin.
# Exit status 3 means "PostgreSQL binaries not found" (callers may treat that as a skip).
set -euo pipefail

log() { printf 'pg-throwaway: %s\n' "$*" >&2; }

find_bin() {
  if [[ -n "${PG_BIN:-}" ]]; then
    [[ -x "$PG_BIN/initdb" && -x "$PG_BIN/pg_ctl" ]] && { printf '%s\n' "$PG_BIN"; return 0; }
    log "PG_BIN=$PG_BIN has no initdb/pg_ctl"; return 3
  fi
  local initdb pgctl
  initdb=$(command -v initdb 2>/dev/null || true)
  pgctl=$(command -v pg_ctl 2>/dev/null || true)
  if [[ -n "$initdb" && -n "$pgctl" ]]; then
    initdb=$(readlink -f "$initdb"); pgctl=$(readlink -f "$pgctl")
    if [[ "$(dirname "$initdb")" == "$(dirname "$pgctl")" ]]; then
      dirname "$initdb"; return 0
    fi
  fi
  local d best="" bestv=0 v
  for d in /usr/lib/postgresql/*/bin; do
    [[ -x "$d/initdb" && -x "$d/pg_ctl" ]] || continue
    v=$(basename "$(dirname "$d")"); v=${v%%.*}
    [[ "$v" =~ ^[0-9]+$ ]] || v=0
    if (( v >= bestv )); then bestv=$v; best=$d; fi
  done
  [[ -n "$best" ]] && { printf '%s\n' "$best"; return 0; }
  return 3
}

# as_pg CMD...: run CMD as the cluster owner (postgres OS user when we are root).
as_pg() {
  if (( EUID == 0 )); then
    if command -v runuser >/dev/null 2>&1; then
      runuser -u postgres -- "$@"
    else
      su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
    fi
  else
    "$@"
  fi
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pick_port() {
  local i p
  for i in $(seq 1 50); do
    p=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
    port_in_use "$p" || { printf '%s\n' "$p"; return 0; }
  done
  log "no free port found"; return 1
}

cmd_stop() {
  local dir=${1:?usage: pg-throwaway.sh stop DIR}
  [[ -d "$dir" ]] || return 0
  local bin pidfile="$dir/data/postmaster.pid"
  bin=$(cat "$dir/bindir" 2>/dev/null || find_bin || true)
  if [[ -f "$pidfile" ]]; then
    # pg_ctl must run as the cluster's owner (postgres when started by root).
    local owner run=()
    owner=$(stat -c %U "$dir/data" 2>/dev/null || echo postgres)
    if (( EUID == 0 )) && [[ "$owner" != root ]]; then
      if command -v runuser >/dev/null 2>&1; then run=(runuser -u "$owner" --); else run=(su "$owner" -s /bin/sh -c); fi
    fi
    local stopped=0
    if [[ -n "$bin" ]]; then
      if [[ "${run[0]:-}" == su ]]; then
        ( cd "$dir" && "${run[@]}" "$(printf '%q ' "$bin/pg_ctl" -D "$dir/data" -m fast -t 30 -w stop)" >/dev/null 2>&1 ) && stopped=1
      else
        ( cd "$dir" && "${run[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -t 30 -w stop >/dev/null 2>&1 ) && stopped=1
      fi
    fi
    if (( ! stopped )) && [[ -f "$pidfile" ]]; then
      # Last resort: immediate shutdown of the postmaster named in the pid file.
      local pid
      pid=$(head -n 1 "$pidfile" 2>/dev/null || true)
      if [[ "$pid" =~ ^[0-9]+$ ]] && kill -QUIT "$pid" 2>/dev/null; then
        local i
        for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      fi
    fi
  fi
  rm -rf -- "$dir"
}

cmd_start() {
  local bin
  if ! bin=$(find_bin); then
    log "PostgreSQL binaries (initdb, pg_ctl) not found; install the postgresql package or set PG_BIN"
    return 3
  fi
  if (( EUID == 0 )) && ! id postgres >/dev/null 2>&1; then
    log "running as root but there is no 'postgres' OS user"; return 1
  fi
  local parent=${TMPDIR:-/tmp}
  (( EUID == 0 )) && parent=/tmp   # must be traversable by the postgres user
  local dir
  dir=$(mktemp -d "$parent/danvan-pg.XXXXXX")
  chmod 700 "$dir"
  mkdir -p "$dir/sock"
  printf '%s\n' "$bin" >"$dir/bindir"
  (( EUID == 0 )) && chown -R postgres: "$dir"

  ( cd "$dir" && as_pg "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C -N >"$dir/initdb.log" 2>&1 ) || {
    log "initdb failed:"; cat "$dir/initdb.log" >&2; cmd_stop "$dir"; return 1; }

  local port attempt ok=0
  for attempt in 1 2 3 4 5; do
    port=$(pick_port) || break
    if ( cd "$dir" && as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir/sock -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null 2>&1 ); then
      ok=1; break
    fi
    log "start on port $port failed (attempt $attempt)"
  done
  if (( ! ok )); then
    log "could not start PostgreSQL; server log:"; cat "$dir/server.log" >&2 || true
    cmd_stop "$dir"; return 1
  fi

  local psql=psql
  [[ -x "$bin/psql" ]] && psql="$bin/psql"
  if ! "$psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d postgres \
      -c 'CREATE DATABASE danvan_test' >&2; then
    log "CREATE DATABASE failed"; cmd_stop "$dir"; return 1
  fi

  local url="postgres://postgres@127.0.0.1:$port/danvan_test?sslmode=disable"
  log "PostgreSQL $("$bin/pg_ctl" --version | awk '{print $3}') up at 127.0.0.1:$port (dir $dir)"
  printf 'PG_THROWAWAY_DIR=%q\nDANVAN_TEST_POSTGRES=%q\n' "$dir" "$url"
}

cmd_run() {
  [[ "${1:-}" == "--" ]] && shift
  (( $# > 0 )) || { log "usage: pg-throwaway.sh run -- CMD..."; return 2; }
  local out
  out=$(cmd_start) || return $?
  eval "$out"   # sets globals PG_THROWAWAY_DIR, DANVAN_TEST_POSTGRES (the EXIT trap needs them)
  trap 'cmd_stop "$PG_THROWAWAY_DIR"' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  export DANVAN_TEST_POSTGRES
  local rc=0
  "$@" || rc=$?
  return "$rc"
}

case "${1:-}" in
  find)  find_bin ;;
  start) cmd_start ;;
  stop)  shift; cmd_stop "$@" ;;
  run)   shift; cmd_run "$@" ;;
  *)     sed -n '2,16p' "$0" >&2; exit 2 ;;
esac
