# Shared by the side-by-side scripts (compare_dump.sh, compare_checksigs.sh); sourced
# after they define note() and die().

# require_peers "PACKAGES" TOOL...: every TOOL is on PATH, or die naming the packages.
require_peers() {
  local packages=$1 missing=() tool
  shift
  for tool in "$@"; do
    command -v "$tool" >/dev/null || missing+=("$tool")
  done
  [ ${#missing[@]} -eq 0 ] ||
    die "peer(s) not installed: ${missing[*]}; run scripts/bootstrap.sh (installs $packages)"
}

# Sets timer: $TIMER if given (hyperfine or loop), else hyperfine when installed.
pick_timer() {
  timer=${TIMER:-}
  if [ -z "$timer" ]; then
    if command -v hyperfine >/dev/null; then timer=hyperfine; else timer=loop; fi
  fi
  case "$timer" in
    hyperfine) command -v hyperfine >/dev/null || die "TIMER=hyperfine but hyperfine is not installed" ;;
    loop) ;;
    *) die "TIMER must be hyperfine or loop, got '$timer'" ;;
  esac
}

# Sets gnutime to GNU time when it can report peak RSS, else to "" (with a note).
find_gnutime() {
  gnutime=""
  if [ -x /usr/bin/time ] && /usr/bin/time -f %M true >/dev/null 2>&1; then
    gnutime=/usr/bin/time
  else
    note "GNU time (/usr/bin/time, Debian package 'time') not found: peak RSS not measured"
  fi
}
