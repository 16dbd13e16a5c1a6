#!/usr/bin/env python3
"""Builds libFuzzer seed corpora, one directory per target, from the test data.

usage: fuzz-seeds.py OUT_DIR [SHARED_TESTDATA]

Seeds are generated at run time rather than committed: shared/testdata and tests/data
are small (about 2 MB) and this keeps the seeds in step with them. Files are named by
their SHA-1, so running it again adds nothing twice.
  fuzz_parse, fuzz_writeback: every file, plus the payload of every armor block
  fuzz_dump, fuzz_dearmor:    every file as it is (binary and armored)
  fuzz_cert, fuzz_import:     every file, plus the payload of every armor block
  fuzz_message:               every file as it is (tests/data/message: signed by its fixed key)
  fuzz_decompress:            payloads up to 64 KiB stored, raw deflate, zlib and bzip2
                              compressed, behind the selector octet (tests/fuzz/targets.h)
  fuzz_keygen_params:         *.param files of tests/data/keygen and testvectors/keygen
  fuzz_keybox:                every keybox file (KBXf header blob), e.g. tests/data/keyring/*.kbx
  fuzz_key_spec:              KEY_SPECS below, and the user IDs of tests/data/keyring/*.kbx
  fuzz_hkp_query:             HKP_QUERIES below (/pks/lookup query strings)
  fuzz_trustdb:               every trustdb.gpg file (version record with "gpg" magic), e.g.
                              tests/data/trust/*.trustdb, and OWNERTRUST_TEXTS below
  fuzz_mr_index:              every HKP index sample tests/data/keyserver/*.mr
  fuzz_legacy:                LEGACY_MESSAGES below (the legacy keyserver protocol)
  fuzz_vks:                   VKS_ANSWERS below (answers of /vks/v1/upload)
  fuzz_decrypt:               every file (and armor payload) that opens with a PKESK or SKESK
"""
import base64
import bz2
import hashlib
import os
import re
import sys
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# /pks/lookup query strings as gpg's dirmngr and browsers send them (keyserver/query.h).
# Requests and answers of GnuPG 1.x's keyserver message format (keyserver/legacy_protocol.h).
LEGACY_MESSAGES = [
    "NOOP\r\n\r\n", "GET\r\nContent-length: 18\r\n\r\nalice@example.org\n",
    "PUT\nContent-Length: 3\nX-Other: y\n\nabc", "DELETE\r\nContent-length: 40\r\n\r\n" + "AB" * 20,
    "GNUPG/1.0 200 OK\r\nContent-length: 5\r\n\r\nhello", "GNUPG/1.0 404 Not Found\r\nContent-length: 0\r\n\r\n",
    "NOOP\r\n\r\nGET\r\nContent-length: 1\r\n\r\nx",
]

# Answers of VKS uploads as keys.openpgp.org gives them (keyserver/vks.h).
VKS_ANSWERS = [
    '{"key_fpr":"45F7038ACD51FA9AD01BFF5A71290C550806E030","status":{"a@example.org":"unpublished"},"token":"t"}',
    '{"error":"No key uploaded."}', '{"key_fpr":"F","token":"t","status":{"b@x":"published","a@x":"pending"}}',
]

HKP_QUERIES = [
    "op=get&options=mr&search=0x0123456789ABCDEF0123456789ABCDEF01234567",
    "op=index&options=mr&fingerprint=on&search=alice%40example.org",
    "op=vindex&search=Alice+Example&exact=on", "op=get&search=0x1234abcd&options=mr,bin",
    "op=stats&options=json", "op=x-frob&search=a", "op=get&search=%3Cbob%40example.org%3E",
    "op=get&search=0123+4567+89AB+CDEF+0123++4567+89AB+CDEF+0123+4567", "op=get&search=%zz",
]
# One of every form gpg takes (keyring/spec.h), and a few near misses.
KEY_SPECS = [
    "0x1234ABCD", "1234abcd", "0x0123456789ABCDEF", "0123456789abcdef!",
    "45F7038ACD51FA9AD01BFF5A71290C550806E030",
    "45F7 038A CD51 FA9A D01B  FF5A 7129 0C55 0806 E030",
    "0xCB186C4F0609A697E4D52DFA6C722B0C1F1E27C18A56708F6525EC27BAD9ACC9",
    "CCD99FD6A66E720FB8DEEB1B0E970899", "<Alice@Example.ORG>", "alice@example.org",
    "=Alice Example <alice@example.org>", "@example.org", "*Example", "Alice", "DEAD BEEF",
    "0x12", "  ", "<unterminated@example.org", "0x1234ABCD!",
]
# gpg's --export-ownertrust format (trust/ownertrust.h), and lines it rejects.
OWNERTRUST_TEXTS = [
    "# List of assigned trustvalues, created Tue Nov 14 22:13:20 2023 UTC\n"
    "# (Use \"gpg --import-ownertrust\" to restore them)\n"
    "02905ABF17C781FBC3909B00636A1BBD68FD0088:3:\nCCD99FD6A66E720FB8DEEB1B0E970899:6:\n",
    "7bd39314dc12832ace4c59dee28f35bd84439dcd:133:trailing\n",
    "19347BC9872464025F99DF3EC2E0000ED9884892E1F7B3EA4C94009159569B54:5:\n",
    "02905ABF17C781FBC3909B00636A1BBD68FD0088::\n", "\n",
]
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
        if len(data) >= 40 and len(data) % 40 == 0 and data[0] == 1 and data[1:4] == b"gpg":
            add(out, "fuzz_trustdb", data)
        if path.endswith(".mr"):
            add(out, "fuzz_mr_index", data)
        if len(data) >= 12 and data[4] == 1 and data[8:12] == b"KBXf":
            add(out, "fuzz_keybox", data)
            for uid in re.findall(rb"\xb4[\x00-\xff]([ -~]{4,200})", data):
                add(out, "fuzz_key_spec", uid)
        for p in [data] + payloads:
            if p and p[0] in (0xC1, 0xC3) or p and 0x84 <= p[0] <= 0x8F and (p[0] >> 2) & 15 in (1, 3):
                add(out, "fuzz_decrypt", data)
        for t in ("fuzz_dump", "fuzz_dearmor", "fuzz_parse", "fuzz_writeback", "fuzz_cert", "fuzz_import",
                  "fuzz_message"):
            add(out, t, data)
        for p in payloads:
            add(out, "fuzz_parse", p)
            add(out, "fuzz_writeback", p)
            add(out, "fuzz_cert", p)
            add(out, "fuzz_import", p)
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
    for spec in KEY_SPECS:
        add(out, "fuzz_key_spec", spec.encode())
    for query in HKP_QUERIES:
        add(out, "fuzz_hkp_query", query.encode())
    for message in LEGACY_MESSAGES:
        add(out, "fuzz_legacy", message.encode())
    for answer in VKS_ANSWERS:
        add(out, "fuzz_vks", answer.encode())
    for text in OWNERTRUST_TEXTS:
        add(out, "fuzz_trustdb", text.encode())
    for t in sorted(os.listdir(out)):
        print(f"seeds: {t}: {len(os.listdir(os.path.join(out, t)))} files")


if __name__ == "__main__":
    main()
