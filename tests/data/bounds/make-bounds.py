#!/usr/bin/env python3
"""Writes the hostile inputs of the resource-bounds tests (issue 5), deterministically.

    python3 make-bounds.py OUTDIR [CASE ...]     # default: every case
    python3 make-bounds.py --list                # case names, one a line

This script is the one source of truth for tests/cli/bounds_test.cpp (which runs it for
one case at a time into a temporary directory) and for bench/bounds.sh. It uses only the
Python standard library and is fast: the bombs are built from repeated compressed
segments, never by compressing a gigabyte.
"""

import bz2
import os
import struct
import sys
import zlib

GIB = 1 << 30


# ------------------------------------------------------------------ packet framing

def new_length(n):
    if n < 192:
        return bytes([n])
    if n < 8384:
        n -= 192
        return bytes([(n >> 8) + 192, n & 0xFF])
    return b"\xff" + struct.pack(">I", n)


def packet(tag, body):
    return bytes([0xC0 | tag]) + new_length(len(body)) + body


def literal_header(payload_len):
    """A literal data packet header and fixed fields, for a payload of payload_len octets."""
    fields = b"b" + b"\x00" + b"\x00\x00\x00\x00"  # binary, no file name, date 0
    return b"\xcb\xff" + struct.pack(">I", len(fields) + payload_len) + fields


def user_id(text):
    return packet(13, text.encode())


# ------------------------------------------------------------------ deflate bombs

def raw_deflate_zeros(n):
    """Raw deflate (RFC 1951) of n zeros, built from one full-flush segment per MiB."""
    seg_len = 1 << 20
    assert n % seg_len == 0
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    seg = c.compress(bytes(seg_len)) + c.flush(zlib.Z_FULL_FLUSH)
    # A full flush resets the dictionary, so every later segment encodes identically.
    c2 = zlib.compressobj(9, zlib.DEFLATED, -15)
    assert c2.compress(bytes(seg_len)) + c2.flush(zlib.Z_FULL_FLUSH) == seg
    end = zlib.compressobj(9, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)  # empty final block
    return seg * (n // seg_len) + end


def raw_deflate_stream(prefix, n_zeros):
    """Raw deflate of prefix + n_zeros zeros."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = c.compress(prefix) + c.flush(zlib.Z_FULL_FLUSH)
    return head + raw_deflate_zeros(n_zeros)


def zlib_wrap(raw, data_adler):
    return b"\x78\xda" + raw + struct.pack(">I", data_adler)


def adler_of(prefix, n_zeros):
    a = zlib.adler32(prefix)
    lo, hi = a & 0xFFFF, a >> 16
    # Zeros leave the low sum alone and add it to the high sum once per octet.
    hi = (hi + lo * n_zeros) % 65521
    return (hi << 16) | lo


def compress(algo, data):
    if algo == 1:
        c = zlib.compressobj(9, zlib.DEFLATED, -15)
        return c.compress(data) + c.flush()
    if algo == 2:
        return zlib.compress(data, 9)
    if algo == 3:
        return bz2.compress(data, 9)
    return data


def compressed_packet(algo, payload):
    return packet(8, bytes([algo]) + payload)


def deflate_bomb(algo):
    """Two levels: a compressed packet holding a compressed packet holding a literal of
    1 GiB of zeros. One level of deflate tops out near 1:1032 (1 MiB for 1 GiB); the
    outer level squeezes the inner packet's repeated segments down to about 1 KiB."""
    prefix = literal_header(GIB)
    raw = raw_deflate_stream(prefix, GIB)
    inner = compressed_packet(algo, raw if algo == 1 else zlib_wrap(raw, adler_of(prefix, GIB)))
    return compressed_packet(algo, compress(algo, inner))


# ------------------------------------------------------------------ bzip2 bomb

BZ_BLOCK_MAGIC = 0x314159265359
BZ_EOS_MAGIC = 0x177245385090


class Bits:
    def __init__(self):
        self.value = 0
        self.n = 0

    def put(self, value, nbits):
        self.value = (self.value << nbits) | value
        self.n += nbits

    def to_bytes(self):
        pad = (-self.n) % 8
        return (self.value << pad).to_bytes((self.n + pad) // 8, "big")


def bz2_single_block(data):
    """Compresses data (which must fit one 900k block) and returns (block bits, nbits, block CRC)."""
    s = bz2.compress(data, 9)
    assert s[:4] == b"BZh9"
    total = len(s) * 8
    v = int.from_bytes(s, "big")
    # The end-of-stream magic sits 80 bits plus 0..7 padding bits before the end.
    for pad in range(8):
        eos = total - pad - 80
        if (v >> (total - eos - 48)) & ((1 << 48) - 1) == BZ_EOS_MAGIC:
            break
    else:
        raise RuntimeError("bzip2 end-of-stream magic not found")
    nbits = eos - 32
    block = (v >> (total - eos)) & ((1 << nbits) - 1)
    assert block >> (nbits - 48) == BZ_BLOCK_MAGIC, "more than one block"
    crc = (block >> (nbits - 80)) & 0xFFFFFFFF
    return block, nbits, crc


def bzip2_bomb():
    """One BZip2 packet: a literal of 24 blocks' worth of zeros (1,101,575,520 octets).
    bzip2 blocks decode independently, so one compressed all-zero block is repeated at
    the bit level and the stream CRC is recomputed; no gigabyte is ever compressed."""
    run = 255 * 179996  # zeros that run-length code to exactly one full block
    blocks = 24
    payload = blocks * run
    prefix = literal_header(payload)
    first = bz2_single_block(prefix)
    zero = bz2_single_block(bytes(run))
    out = Bits()
    for ch in b"BZh9":
        out.put(ch, 8)
    combined = 0
    for block, nbits, crc in [first] + [zero] * blocks:
        out.put(block, nbits)
        combined = (((combined << 1) | (combined >> 31)) & 0xFFFFFFFF) ^ crc
    out.put(BZ_EOS_MAGIC, 48)
    out.put(combined, 32)
    return compressed_packet(3, out.to_bytes())


# ------------------------------------------------------------------ ratio chain

def full_flush_deflate(data):
    """Raw deflate of data ending in a full flush: the dictionary is reset, so the same
    data always encodes to the same octets, whatever came before."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(zlib.Z_FULL_FLUSH)


def ratio_chain():
    """Three ZIP levels, each expanding by less than the 1:1000 ratio limit, so that no
    single level trips a per-container check: 8 KB -> 4.7 MB -> 1.2 GB -> 1 TiB
    (256 literal packets of 4 GiB - 64 KiB zeros each)."""
    seg = full_flush_deflate(bytes(1 << 16))  # 64 KiB of zeros, ~1:930
    per_literal = 65535
    unit3 = full_flush_deflate(literal_header(per_literal << 16)) + seg * per_literal
    end = zlib.compressobj(9, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)
    k = 256
    len3 = 1 + k * len(unit3) + len(end)
    head3 = b"\xc8\xff" + struct.pack(">I", len3) + b"\x01"  # level-3 ZIP packet
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    level2 = full_flush_deflate(head3) + full_flush_deflate(unit3) * k + c.compress(end) + c.flush()
    inner = b"\xc8\xff" + struct.pack(">I", 1 + len(level2)) + b"\x01" + level2
    return compressed_packet(1, compress(1, inner))


# ------------------------------------------------------------------ nesting

def nested(algo, depth):
    data = packet(11, b"b\x00\x00\x00\x00\x00deep")
    for _ in range(depth):
        data = compressed_packet(algo, compress(algo, data))
    return data


# ------------------------------------------------------------------ framing and fields

def declared_4gb(tag):
    """A 100-octet file whose first packet declares 0xFFFFFFFF body octets (5-octet form)."""
    data = bytes([0xC0 | tag]) + b"\xff\xff\xff\xff\xff" + bytes([4])
    return data + bytes(100 - len(data))


def subpacket_area():
    """A v4 signature whose hashed subpacket area claims 65535 octets in a 9-octet body,
    then an intact user ID: the frame is sound, the body is not."""
    sig = packet(2, bytes([4, 0x13, 1, 8, 0xFF, 0xFF, 2, 2, 0]))
    return user_id("before") + sig + user_id("after")


def mpi_65535():
    """A v4 RSA public key whose modulus claims 65535 bits in a 20-octet body."""
    body = bytes([4, 0, 0, 0, 0, 1, 0xFF, 0xFF]) + bytes(range(1, 13))
    return packet(6, body) + user_id("after")


def million_chunks():
    """A literal data packet in 1,000,000 one-octet partial chunks (0xE0 + one octet each)
    and a final definite chunk: 2,000,009 octets, legal framing (RFC 9580 4.2.1.4 only
    asks the *first* partial chunk to be at least 512 octets: a finding, not an error)."""
    fields = b"b\x00\x00\x00\x00\x00"
    body = bytearray(b"\xcb")
    # The six literal fields go one per one-octet chunk, then payload octets.
    n = 1000000
    payload = bytearray()
    for i in range(n):
        payload += b"\xe0" + (fields[i:i + 1] if i < len(fields) else b"x")
    body += payload
    body += b"\x01x"  # final chunk: one octet, one-octet length
    return bytes(body)


CASES = {
    "zip-bomb": lambda: deflate_bomb(1),
    "zlib-bomb": lambda: deflate_bomb(2),
    "bzip2-bomb": bzip2_bomb,
    "ratio-chain": ratio_chain,
    "nest-128-zip": lambda: nested(1, 128),
    "nest-128-bzip2": lambda: nested(3, 128),
    "len-4gb-signature": lambda: declared_4gb(2),
    "len-4gb-literal": lambda: declared_4gb(11),
    "subpacket-area": subpacket_area,
    "chunks-1m": million_chunks,
    "mpi-65535": mpi_65535,
}


def main(argv):
    if argv[1:] == ["--list"]:
        print("\n".join(CASES))
        return 0
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    out = argv[1]
    names = argv[2:] or list(CASES)
    os.makedirs(out, exist_ok=True)
    for name in names:
        if name not in CASES:
            print(f"make-bounds.py: unknown case {name!r}", file=sys.stderr)
            return 2
        with open(os.path.join(out, name + ".pgp"), "wb") as f:
            f.write(CASES[name]())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
