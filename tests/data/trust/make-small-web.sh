#!/bin/sh
# Makes small-web.pgp: a web of seven ed25519 keys made by gpg 2.2 at a fixed (faked) time,
# for tests/trust/wot_test.cpp. root is the ultimate key; a (full) and b (marginal) are
# introducers; c is certified by b; d by root at level 1 only; t has a full trust signature
# of depth 1 from root scoped to example.org and certifies e1@example.org and e2@other.net.
set -e
out=${1:-$(dirname "$0")/small-web.pgp}
home=$(mktemp -d)
trap 'gpgconf --homedir "$home" --kill all; rm -rf "$home"' EXIT
g="gpg --homedir $home --batch --no-tty --no-options --yes --pinentry-mode loopback --passphrase="
t="--faked-system-time 20240101T000000"
for n in root:example.org a:example.org b:example.org c:example.org d:example.org t:example.org \
         e1:example.org e2:other.net; do
  $g $t --quick-gen-key "${n%%:*} <${n%%:*}@${n#*:}>" ed25519 cert never 2>/dev/null
done
fpr() { $g --with-colons --list-keys "<$1>" | awk -F: '/^fpr/{print $10; exit}'; }
s="--faked-system-time 20240201T000000"
$g $s -u "$(fpr root@example.org)" --default-cert-level 3 --quick-sign-key "$(fpr a@example.org)"
$g $s -u "$(fpr a@example.org)" --default-cert-level 2 --quick-sign-key "$(fpr b@example.org)"
$g $s -u "$(fpr b@example.org)" --default-cert-level 3 --quick-sign-key "$(fpr c@example.org)"
$g $s -u "$(fpr root@example.org)" --default-cert-level 1 --quick-sign-key "$(fpr d@example.org)"
printf 'tsign\n2\n1\nexample.org\nsave\n' |
  $g $s -u "$(fpr root@example.org)" --command-fd 0 --edit-key "$(fpr t@example.org)" 2>/dev/null
$g $s -u "$(fpr t@example.org)" --default-cert-level 3 --quick-sign-key "$(fpr e1@example.org)"
$g $s -u "$(fpr t@example.org)" --default-cert-level 3 --quick-sign-key "$(fpr e2@other.net)"
$g --export -o "$out"
