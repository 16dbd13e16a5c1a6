#!/usr/bin/env bash
# (pgpkit's own copy of the project recipe; tests/oracle/keyserver_sks_test.cpp runs it)
# sks.sh - run the Debian SKS keyserver (package `sks` 1.1.6, /usr/sbin/sks) on
# loopback as a reference HKP peer, loaded from one OpenPGP keyring.
#
#   ./sks.sh [start] KEYRING WORKDIR [PORT]   build the DB (if needed), start `sks db`
#                                             on 127.0.0.1:PORT (default 11371), wait
#                                             until it answers, print its PID on stdout
#   ./sks.sh stop    WORKDIR                  stop the `sks db` started for WORKDIR
#   ./sks.sh status  WORKDIR                  print PID and port if running (exit 1 if not)
#   ./sks.sh build   KEYRING WORKDIR          (re)build the DB only, do not start
#
# Env: PORT (default 11371; the 3rd argument wins), FORCE=1 (rebuild even if the
# keyring is unchanged), SKS=/usr/sbin/sks, START_TIMEOUT=60 (s).
#
# Why the odd layout: Debian patches SKS to use absolute paths (/etc/sks/sksconf,
# /var/lib/sks/DB, /var/lib/sks/PTree, /var/log/sks/, /var/run/sks/db_com_sock,
# /var/spool/sks/...), and `-basedir X` is simply *prepended* to them
# (X//var/lib/sks/DB). So WORKDIR gets a small fake root with those directories,
# and every sks command runs with `-basedir WORKDIR` from inside WORKDIR.
# The system tree (/etc/sks, /var/lib/sks) is never touched.
#
# Idempotent: `start` is a no-op (prints the PID) when the server for WORKDIR is
# already up on PORT with the same keyring; the DB is rebuilt only when the
# keyring (size+mtime+sha256) changed or FORCE=1. `stop` is a no-op when nothing
# runs. Only the PID recorded in WORKDIR/sks-db.pid is ever signalled, after
# checking it is /usr/sbin/sks with this basedir on its command line.
set -euo pipefail

SKS=${SKS:-/usr/sbin/sks}
START_TIMEOUT=${START_TIMEOUT:-60}
log() { printf 'sks.sh: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
usage() { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

abspath() { mkdir -p "$1" && (cd "$1" && pwd -P); }

# --- process helpers ---------------------------------------------------------
# our_pid W: print the recorded PID if it is alive and is sks with -basedir W
our_pid() {
  local w=$1 pf=$1/sks-db.pid pid
  [[ -s $pf ]] || return 1
  pid=$(cat "$pf")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  [[ -d /proc/$pid ]] || return 1
  [[ $(readlink "/proc/$pid/exe" 2>/dev/null) == "$(readlink -f "$SKS")" ]] || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qF -- "-basedir $w db" || return 1
  echo "$pid"
}

answers() {  # answers PORT: HKP lookup gives an HTTP status (200/404) on 127.0.0.1
  local code
  code=$(curl -s -o /dev/null -m 5 -w '%{http_code}' \
    "http://127.0.0.1:$1/pks/lookup?op=get&options=mr&search=0x0000000000000000" 2>/dev/null) || true
  [[ $code == 200 || $code == 404 ]]
}

port_busy() { ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }

do_stop() {
  local w pid
  w=$(abspath "$1")
  if ! pid=$(our_pid "$w"); then
    log "not running (workdir $w)"; rm -f "$w/sks-db.pid"; return 0
  fi
  log "stopping sks db pid $pid"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do [[ -d /proc/$pid ]] || break; sleep 0.1; done
  if [[ -d /proc/$pid ]]; then
    log "pid $pid ignored SIGTERM for 10 s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do [[ -d /proc/$pid ]] || break; sleep 0.1; done
  fi
  rm -f "$w/sks-db.pid" "$w/var/run/sks/db_com_sock"
  log "stopped"
}

# --- build ---------------------------------------------------------------------
stamp_of() { printf '%s %s %s\n' "$(stat -c '%s %Y' "$1")" "$(sha256sum < "$1" | cut -c1-64)" "$(readlink -f "$1")"; }

write_conf() {  # write_conf W PORT
  local w=$1 port=$2
  mkdir -p "$w/etc/sks" "$w/var/lib/sks/dump" "$w/var/lib/sks/www" "$w/var/log/sks" \
           "$w/var/run/sks" "$w/var/spool/sks/messages" "$w/var/spool/sks/failed_messages"
  cat > "$w/etc/sks/sksconf" <<EOF
# written by sks.sh - loopback only, standalone (no peers, no mail)
hostname: localhost
hkp_address: 127.0.0.1
hkp_port: $port
recon_address: 127.0.0.1
recon_port: $((port - 1))
disable_mailsync:
dontgossip:
initial_stat:
pagesize: 16
ptree_pagesize: 16
EOF
  : > "$w/etc/sks/membership"
  : > "$w/etc/sks/mailsync"
}

do_build() {  # do_build KEYRING W PORT
  local k=$1 w=$2 port=$3 t0 t1 rc
  [[ -r $k ]] || die "cannot read keyring $k"
  local want; want=$(stamp_of "$k")
  if [[ ${FORCE:-0} != 1 && -s $w/.built && $(cat "$w/.built") == "$want" \
        && -s $w/var/lib/sks/DB/key && -s $w/var/lib/sks/PTree/ptree ]]; then
    log "DB in $w is up to date for $k"; write_conf "$w" "$port"; return 0
  fi
  log "building SKS DB in $w from $k"
  rm -rf "$w/var/lib/sks/DB" "$w/var/lib/sks/PTree" "$w/var/lib/sks/dump" "$w/.built" \
         "$w/var/log/sks" "$w/var/spool/sks"
  write_conf "$w" "$port"
  local dump=$w/var/lib/sks/dump/0000.pgp
  if head -c 4096 "$k" | grep -q -- '-----BEGIN PGP'; then
    local gh; gh=$(mktemp -d "$w/.gpg.XXXXXX")
    gpg --homedir "$gh" --batch --quiet --dearmor < "$k" > "$dump"
    rm -rf "$gh"
  else
    cp -- "$k" "$dump"   # sks build wants binary keydump files (*.pgp by convention)
  fi
  cd "$w"
  local times=$w/build-times.txt; : > "$times"
  t0=$(date +%s.%N)
  "$SKS" build "$w"/var/lib/sks/dump/*.pgp -n 10 -cache 100 -basedir "$w" -stdoutlog \
      > "$w/build.out" 2>&1 || { tail -n 20 "$w/build.out" >&2; die "sks build failed"; }
  t1=$(date +%s.%N); echo "build   $(echo "$t1 - $t0" | bc) s" >> "$times"
  # cleandb has been seen to segfault (rc 139) right after "Completed key merge" on
  # a fresh DB; Debian's sks_build.sh does `cleandb || cleandb` for the same reason.
  t0=$(date +%s.%N); rc=0
  "$SKS" cleandb -basedir "$w" -stdoutlog > "$w/cleandb.out" 2>&1 || rc=$?
  if [[ $rc != 0 ]]; then
    log "sks cleandb exited $rc; running it again"
    rc=0; "$SKS" cleandb -basedir "$w" -stdoutlog >> "$w/cleandb.out" 2>&1 || rc=$?
    [[ $rc == 0 ]] || { tail -n 20 "$w/cleandb.out" >&2; die "sks cleandb failed twice (rc $rc)"; }
  fi
  t1=$(date +%s.%N); echo "cleandb $(echo "$t1 - $t0" | bc) s" >> "$times"
  t0=$(date +%s.%N)
  "$SKS" pbuild -cache 20 -ptree_cache 70 -basedir "$w" -stdoutlog > "$w/pbuild.out" 2>&1 \
      || { tail -n 20 "$w/pbuild.out" >&2; die "sks pbuild failed"; }
  t1=$(date +%s.%N); echo "pbuild  $(echo "$t1 - $t0" | bc) s" >> "$times"
  local n; n=$(grep -oE '[0-9]+ hashes processed' "$w/pbuild.out" | tail -n1 | cut -d' ' -f1)
  echo "keys    ${n:-?}" >> "$times"
  sed 's/^/sks.sh:   /' "$times" >&2
  [[ ${n:-0} -gt 0 ]] || die "sks loaded 0 keys from $k"
  echo "$want" > "$w/.built"
}

# --- start ---------------------------------------------------------------------
do_start() {  # do_start KEYRING WORKDIR [PORT]
  local k w port pid
  k=$(readlink -f "$1"); w=$(abspath "$2"); port=${3:-${PORT:-11371}}
  [[ $port =~ ^[0-9]+$ ]] || die "bad port $port"
  # unix sockets are limited to 107 bytes: W/var/run/sks/{db,recon}_com_sock
  (( ${#w} <= 80 )) || die "workdir path too long for SKS's unix socket (${#w} > 80): $w"
  if pid=$(our_pid "$w"); then
    if [[ ${FORCE:-0} != 1 && -s $w/.built && $(cat "$w/.built") == "$(stamp_of "$k")" \
          && $(cat "$w/sks-db.port" 2>/dev/null) == "$port" ]] && answers "$port"; then
      log "already running on 127.0.0.1:$port"; echo "$pid"; return 0
    fi
    do_stop "$w"
  fi
  port_busy "$port" && die "127.0.0.1:$port is already in use by another process"
  do_build "$k" "$w" "$port"
  cd "$w"
  rm -f "$w/var/run/sks/db_com_sock"
  # setsid: own session, so it survives this shell and never gets our terminal's signals
  setsid "$SKS" -basedir "$w" db > "$w/sks-db.out" 2>&1 < /dev/null &
  pid=$!
  echo "$pid" > "$w/sks-db.pid"; echo "$port" > "$w/sks-db.port"
  for _ in $(seq 1 $((START_TIMEOUT * 10))); do
    answers "$port" && { log "sks db pid $pid answers on http://127.0.0.1:$port/"; echo "$pid"; return 0; }
    [[ -d /proc/$pid ]] || { tail -n 20 "$w/var/log/sks/db.log" "$w/sks-db.out" >&2 || true; rm -f "$w/sks-db.pid"; die "sks db exited during start-up"; }
    sleep 0.1
  done
  log "sks db did not answer within ${START_TIMEOUT}s"; do_stop "$w"; exit 1
}

cmd=${1:-}
case $cmd in
  stop)   [[ $# == 2 ]] || usage; do_stop "$2" ;;
  status) [[ $# == 2 ]] || usage; w=$(abspath "$2")
          if pid=$(our_pid "$w"); then echo "$pid $(cat "$w/sks-db.port" 2>/dev/null)"; else exit 1; fi ;;
  build)  [[ $# == 3 ]] || usage; w=$(abspath "$3")
          our_pid "$w" >/dev/null && die "sks db is running on $w; run: $0 stop $w"
          do_build "$(readlink -f "$2")" "$w" "${PORT:-11371}" ;;
  start)  [[ $# == 3 || $# == 4 ]] || usage; shift; do_start "$@" ;;
  ""|-h|--help|help) usage ;;
  *)      [[ $# == 2 || $# == 3 ]] || usage; do_start "$@" ;;
esac
