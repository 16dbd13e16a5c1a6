#!/usr/bin/env python3
"""Regenerates the armor fixtures of this folder from payload-v6-cert.pgp (the binary
RFC 9580 A.3 v6 certificate, `gpg --dearmor < shared/testdata/rfc9580/A.3...asc`).
Run from this folder: python3 make-fixtures.py. Output is deterministic."""
import base64

def crc24(data):
    crc = 0xB704CE
    for b in data:
        crc ^= b << 16
        for _ in range(8):
            crc <<= 1
            if crc & 0x1000000:
                crc ^= 0x1864CFB
    return crc & 0xFFFFFF

def body(data, width=64):
    s = base64.b64encode(data).decode()
    return [s[i:i + width] for i in range(0, len(s), width)]

def checksum(data):
    return "=" + base64.b64encode(crc24(data).to_bytes(3, "big")).decode()

def armor(data, label="PUBLIC KEY BLOCK", headers=(), width=64, crc=True, eol="\n"):
    lines = ["-----BEGIN PGP %s-----" % label]
    lines += ["%s: %s" % kv for kv in headers]
    lines.append("")
    lines += body(data, width)
    if crc:
        lines.append(checksum(data))
    lines.append("-----END PGP %s-----" % label)
    return eol.join(lines) + eol

def write(name, text):
    with open(name, "w", newline="") as f:
        f.write(text)

data = open("payload-v6-cert.pgp", "rb").read()
small = data[:100]

# Valid inputs.
write("crlf-line-ends.asc", armor(data, eol="\r\n"))
write("line-length-76.asc", armor(data, width=76))
write("single-long-line.asc", armor(data, width=100000))
write("odd-line-length-61.asc", armor(data, width=61))
write("no-checksum.asc", armor(data, crc=False))
write("junk-around-block.asc",
      "Hello, here is my key:\n\n" + armor(data) + "\nThanks,\n-- \nme\n")
write("two-blocks.asc", armor(data) + "\n" + armor(small, label="MESSAGE"))
write("headers-kept.asc", armor(small, label="MESSAGE", headers=[
    ("Version", "pgpkit test 1.0"), ("Comment", "colon: inside the value"),
    ("Hash", "SHA256"), ("Charset", "UTF-8"), ("MessageID", "0123456789abcdef")]))
write("message-part-1-of-2.asc", armor(data[:200], label="MESSAGE, PART 1/2"))
write("message-part-2.asc", armor(data[200:], label="MESSAGE, PART 2"))
write("trailing-whitespace.asc", armor(data).replace("\n", " \t\n"))
write("empty-body.asc", armor(b"", label="ARMORED FILE"))
write("no-blank-line-after-headers.asc", armor(small, label="MESSAGE").replace(
    "-----\n\n", "-----\n", 1))

# Malformed inputs: each error names a line (see armor_test.cpp).
good = armor(data).rstrip("\n").split("\n")  # line i+1 is good[i]
crc_line = len(good) - 2                          # index of the "=XXXX" line (line 12)
def lines(ls):
    return "\n".join(ls) + "\n"
bad = list(good); bad[crc_line] = checksum(data[:-1] + bytes([data[-1] ^ 1]))
write("crc-mismatch.asc", lines(bad))                        # line 12
bad = list(good); bad[4] = bad[4][:10] + "*" + bad[4][11:]
write("bad-base64-char.asc", lines(bad))                     # line 5
write("missing-end-line.asc", lines(good[:-2]))              # input ends on line 12
bad = list(good); bad[-1] = "-----END PGP MESSAGE-----"
write("mismatched-labels.asc", lines(bad))                   # line 13
bad = list(good); bad[3] = bad[3][:20] + "=" + bad[3][21:]
write("misplaced-padding.asc", lines(bad))                   # line 4
bad = list(good); bad[crc_line - 1] = bad[crc_line - 1].rstrip("=")[:-1]
write("truncated-base64.asc", lines(bad))                    # found on line 12
bad = list(good); bad[crc_line - 1] += "AAAA"
write("data-after-padding.asc", lines(bad))                  # line 11
bad = list(good); bad.insert(crc_line + 1, "AAAA")
write("data-after-checksum.asc", lines(bad))                 # line 13
bad = list(good); bad[crc_line] = "=abc"
write("malformed-checksum-line.asc", lines(bad))             # line 12
write("invalid-header.asc", armor(small, label="MESSAGE", headers=[("Bad Key", "x")]))  # line 2
write("begin-inside-block.asc", lines(good[:-3]) + armor(small, label="MESSAGE"))  # line 11
write("no-armor.txt", "just some text\nwithout any armor\n")

# Cleartext signature framework (the signature bytes are a placeholder packet).
sig = bytes.fromhex("c2") + bytes([3]) + b"\x06\x01\x02"
text = ("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256, SHA512\n\n"
        "Hello,\n- -- dashes were escaped\n- From the start\ntrailing spaces   \n\n"
        "last line\n" + armor(sig, label="SIGNATURE", headers=[("Comment", "sig")]))
write("cleartext-signed.asc", text)
write("cleartext-unescaped-dash.asc", text.replace("- -- dashes", "-- dashes"))
