#!/usr/bin/env bash
# The man page and completions written from pgpkit --help (scripts/make-man.py): groff
# renders the page without a warning, every command of `pgpkit --help` has its section,
# and the bash completion parses and completes subcommands and options.
# usage: man_test.sh PGPKIT_BIN MAN_DIR
set -euo pipefail
bin=$1 dir=$2
fail() { echo "man_test: $*" >&2; exit 1; }
[ -s "$dir/pgpkit.1" ] || fail "no $dir/pgpkit.1"
warnings=$(groff -man -Tutf8 -ww -z "$dir/pgpkit.1" 2>&1) || fail "groff failed: $warnings"
[ -z "$warnings" ] || fail "groff warns: $warnings"
commands=$("$bin" --help | sed -n '/^Subcommands:/,$p' | awk 'NR > 1 && NF { print $1 }')
[ -n "$commands" ] || fail "no subcommands in pgpkit --help"
for c in $commands; do
  grep -qx ".SS $c" "$dir/pgpkit.1" || fail "the man page has no section for '$c'"
done
grep -q '^\.SS keyserver recv$' "$dir/pgpkit.1" || fail "no section for nested 'keyserver recv'"
# Every command's --help, nested ones included, ends with an example (issue 15).
no_example=$(awk '/^\.SS /{ if (name != "" && !seen) print name; name = substr($0, 5); seen = 0 }
                  /^\.SH /{ if (name != "" && !seen) print name; name = "" }
                  name != "" && /^Examples?:/ { seen = 1 }' "$dir/pgpkit.1")
[ -z "$no_example" ] || fail "no example in the --help of: $(echo $no_example)"
bash -n "$dir/pgpkit.bash" || fail "the bash completion does not parse"
got=$(bash -c 'source "$1"; COMP_WORDS=(pgpkit keyserver re); COMP_CWORD=2; _pgpkit; echo "${COMPREPLY[*]}"' _ "$dir/pgpkit.bash")
[[ " $got " == *" recv "* && " $got " == *" refresh "* ]] || fail "keyserver re completes to '$got'"
got=$(bash -c 'source "$1"; COMP_WORDS=(pgpkit reframe --al); COMP_CWORD=2; _pgpkit; echo "${COMPREPLY[*]}"' _ "$dir/pgpkit.bash")
[ "$got" = "--allow-invalid" ] || fail "reframe --al completes to '$got'"
echo "man_test: $(echo "$commands" | wc -w) commands documented and completed"
