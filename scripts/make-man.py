#!/usr/bin/env python3
"""Writes pgpkit's man page and its bash and zsh completions from the CLI's own --help
output, so that neither can drift from the options the program takes (issue 15).

usage: scripts/make-man.py PGPKIT_BIN OUT_DIR
       -> OUT_DIR/pgpkit.1, OUT_DIR/pgpkit.bash (bash completion), OUT_DIR/_pgpkit (zsh)
"""
import os
import re
import subprocess
import sys

EXIT_STATUS = """0 success; 1 the operation's answer is "no" (a bad signature, a key not found, a
decryption that failed); 2 bad input or usage, with one line naming what and where (byte
offset, packet or record index)."""

FILES = [
    ("$PGPKIT_HOME, else $XDG_DATA_HOME/pgpkit", "the home folder (--home overrides it)"),
    ("HOME/keys.db", "the key store (SQLite), secret keys created 0600"),
    ("HOME/trustdb.gpg", "GnuPG's trust database format"),
    ("HOME/keyservers.conf", "the keyserver list: one URL [default] [vks] per line"),
]

DIFFERENCES = [
    "gen-key: a bad line in a parameter file (an unknown keyword, a missing argument) "
    "refuses its block and generation goes on with the next one; gpg stops the whole file.",
    "keyserver recv and refresh import with self-sigs-only, gpg 2.2.40's keyserver default "
    "(--import-clean adds cleaning; --keep-third-party keeps certifications).",
    "Missing keys make verify exit 1 (gpg exits 2).",
]


def run_help(binary, args):
    out = subprocess.run([binary] + args + ["--help"], capture_output=True, text=True, check=True)
    return out.stdout.replace(binary, "pgpkit")


def subcommands(help_text):
    """(name, summary) pairs of the Subcommands: section of a --help text."""
    out, inside = [], False
    for line in help_text.splitlines():
        if line.strip() == "Subcommands:":
            inside = True
            continue
        if inside:
            m = re.match(r"^  (\S+)\s+(.*)$", line)
            if not m:
                if line.strip() == "":
                    continue
                break
            out.append((m.group(1), m.group(2).strip()))
    return out


def options(help_text):
    """Every --long and -s option a --help text lists."""
    found = []
    for line in help_text.splitlines():
        m = re.match(r"^\s+(-[^\s]+)", line)
        if not m:
            continue
        for opt in m.group(1).split(","):
            opt = opt.strip()
            if opt.startswith("-") and opt not in found:
                found.append(opt)
    return found


def roff(text):
    """Escapes text for roff: backslashes, and leading dots or quotes."""
    text = text.replace("\\", "\\e")
    return "\n".join(("\\&" + l if l.startswith((".", "'")) else l) for l in text.splitlines())


def collect(binary):
    """[(path, summary, help)] for every command and nested subcommand, depth first."""
    result = []

    def walk(path, summary):
        text = run_help(binary, path)
        result.append((path, summary, text))
        for name, sub_summary in subcommands(text):
            walk(path + [name], sub_summary)

    for name, summary in subcommands(run_help(binary, [])):
        walk([name], summary)
    return result


def man_page(commands, version):
    lines = [
        '.TH PGPKIT 1 "" "pgpkit %s" "User Commands"' % version,
        ".SH NAME",
        "pgpkit \\- OpenPGP toolkit: packets, keys, key store, keyservers, messages",
        ".SH SYNOPSIS",
        ".B pgpkit",
        ".I COMMAND",
        "[\\fIOPTIONS\\fR] [\\fIARGS\\fR]",
        ".SH DESCRIPTION",
        "pgpkit dumps, splits and re-frames OpenPGP data, generates keys from GnuPG parameter files,",
        "keeps a key store with GnuPG's colon listings and status lines, speaks to and serves HKP",
        "keyservers, and signs, verifies, encrypts and decrypts messages. Every command below is",
        "also usable from C++ through the installed library (find_package(pgpkit), pgpkit.pc).",
        "Input may be binary or ASCII-armored; - means standard input.",
        ".SH COMMANDS",
    ]
    for path, summary, text in commands:
        lines.append(".SS " + roff(" ".join(path)))
        lines.append(roff(summary))
        lines.append(".PP")
        lines.append(".nf")
        body = text.split("\n", 1)[1] if "\n" in text else text
        lines.append(roff(body.rstrip()))
        lines.append(".fi")
    lines += [".SH EXIT STATUS", roff(EXIT_STATUS), ".SH FILES"]
    for name, what in FILES:
        lines += [".TP", ".I " + roff(name), roff(what)]
    lines.append(".SH DIFFERENCES FROM GNUPG")
    for d in DIFFERENCES:
        lines += [".IP \\(bu 2", roff(d)]
    lines += [".SH SEE ALSO", "gpg(1), sq(1), rnp(1), pgpdump(1)", ""]
    return "\n".join(lines)


def bash_completion(commands):
    cases = []
    top = [c[0][0] for c in commands if len(c[0]) == 1]
    for path, _, text in commands:
        words = options(text) + [n for n, _ in subcommands(text)]
        cases.append('    "%s") words="%s" ;;' % (" ".join(path), " ".join(words)))
    return """# bash completion for pgpkit, generated from its --help (scripts/make-man.py)
_pgpkit() {
    local cur path="" word i words
    cur=${COMP_WORDS[COMP_CWORD]}
    for ((i = 1; i < COMP_CWORD; i++)); do
        word=${COMP_WORDS[i]}
        [[ $word == -* ]] && continue
        case " $(_pgpkit_words "$path") " in
        *" $word "*) path=${path:+$path }$word ;;
        esac
    done
    words=$(_pgpkit_words "$path")
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
    [[ ${#COMPREPLY[@]} -eq 0 && $cur != -* ]] && COMPREPLY=($(compgen -f -- "$cur"))
}
_pgpkit_words() {
    local words
    case "$1" in
    "") words="%s" ;;
%s
    esac
    echo "$words"
}
complete -F _pgpkit pgpkit
""" % (" ".join(top), "\n".join(cases))


ZSH = """#compdef pgpkit
# zsh completion for pgpkit: the bash completion (generated from --help) through bashcompinit.
autoload -U +X bashcompinit && bashcompinit
source "${0:A:h}/../../bash-completion/completions/pgpkit" 2>/dev/null ||
  source /usr/share/bash-completion/completions/pgpkit
"""


def main():
    binary, out_dir = sys.argv[1], sys.argv[2]
    os.makedirs(out_dir, exist_ok=True)
    version = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout.split()[-1]
    commands = collect(binary)
    with open(os.path.join(out_dir, "pgpkit.1"), "w") as f:
        f.write(man_page(commands, version))
    with open(os.path.join(out_dir, "pgpkit.bash"), "w") as f:
        f.write(bash_completion(commands))
    with open(os.path.join(out_dir, "_pgpkit"), "w") as f:
        f.write(ZSH)
    print("make-man: %d commands -> %s" % (len(commands), out_dir))


if __name__ == "__main__":
    main()
