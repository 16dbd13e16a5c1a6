#!/usr/bin/env python3
"""Builds libFuzzer seed corpora, one directory per target, from the test data.

usage: fuzz-seeds.py OUT_DIR [SHARED_TESTDATA]

Seeds are generated at run time rather than committed: shared/testdata and tests/data
are small (about 2 MB) and this keeps the seeds in step with them. Files are named by
their SHA-1, so running it again adds nothing twice.
  fuzz_parse, fuzz_writeback: every file, plus the payload of every armor block
  fuzz_dump, fuzz_dearmor:    every file as it is (binary and armored)
  fuzz_decompress:            payloads up to 64 KiB stored, raw deflate, zlib and bzip2
                              compressed, behind the selector octet (tests/fuzz/targets.h)
  fuzz_keygen_params:         *.param files of tests/data/keygen and testvectors/keygen
"""
import base64
import bz2
import hashlib
import os
import re
import sys
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ARMOR = re.compile(rb"-----BEGIN PGP [^\r\n]*-----\r?\n(.*?)-----END PGP [^\r\n]*-----", re.S)


def files_under(*dirs):
    for d in dirs:
        for base, subdirs, names in os.walk(d):
            # tests/data/fuzz-corpus is each target's own kept corpus (scripts/fuzz.sh), not
            # seed material: it is fed to its target directly.
            subdirs[:] = sorted(x for x in subdirs if x != "fuzz-corpus")
            for n in sorted(names):
                yield os.path.join(base, n)


def dearmor(data):
    """Payloads of the armor blocks in data (headers and checksum dropped)."""
    out = []
    for m in ARMOR.finditer(data):
        lines = m.group(1).splitlines()
        if b"" in lines:  # headers end at the first blank line
            lines = lines[lines.index(b"") + 1:]
        body = b"".join(l.strip() for l in lines if not l.startswith(b"="))
        try:
            out.append(base64.b64decode(body + b"=" * (-len(body) % 4)))
        except ValueError:
            pass
    return out


def add(out, target, data):
    d = os.path.join(out, target)
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, hashlib.sha1(data).hexdigest())
    if not os.path.exists(path):
        with open(path, "wb") as f:
            f.write(data)


def main():
    out = sys.argv[1]
    shared = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "..", "shared", "testdata")
    for path in files_under(shared, os.path.join(ROOT, "tests", "data")):
        with open(path, "rb") as f:
            data = f.read()
        payloads = dearmor(data)
        for t in ("fuzz_dump", "fuzz_dearmor", "fuzz_parse", "fuzz_writeback", "fuzz_cert"):
            add(out, t, data)
        for p in payloads:
            add(out, "fuzz_parse", p)
            add(out, "fuzz_writeback", p)
            add(out, "fuzz_cert", p)
        for i, p in enumerate(payloads + ([] if payloads else [data])):
            if len(p) > 65536:
                continue
            piece = (len(p) + i) % 4 << 2  # vary the read size across seeds
            raw = zlib.compressobj(9, zlib.DEFLATED, -15)
            add(out, "fuzz_decompress", bytes([0 | piece]) + p)
            add(out, "fuzz_decompress", bytes([1 | piece]) + raw.compress(p) + raw.flush())
            add(out, "fuzz_decompress", bytes([2 | piece]) + zlib.compress(p, 9))
            add(out, "fuzz_decompress", bytes([3 | piece]) + bz2.compress(p, 9))
    for path in files_under(os.path.join(ROOT, "tests", "data", "keygen"), os.path.join(ROOT, "testvectors", "keygen")):
        if path.endswith(".param"):
            with open(path, "rb") as f:
                add(out, "fuzz_keygen_params", f.read())
    for t in sorted(os.listdir(out)):
        print(f"seeds: {t}: {len(os.listdir(os.path.join(out, t)))} files")


if __name__ == "__main__":
    main()
