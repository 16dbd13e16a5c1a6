#!/usr/bin/env python3
"""Re-protects an unprotected v4 RSA secret key with schemes no installed peer writes.

Input: shared/testdata/sequoia/keys/testy-private.pgp (its first packet, a v4 RSA-2048
Secret-Key packet with usage 0). Output: one Secret-Key packet (tag 5, new format) per
scheme in this folder, all under the passphrase "fixture passphrase". Written with Python's
`cryptography` package (OpenSSL), independently of pgpkit's crypto/, so the tests check
pgpkit against a second implementation of RFC 9580 section 5.5.3. Salts, IVs and nonces are
fixed, so the output is deterministic:

    cd tests/data/cert/unprotect && python3 make-fixtures.py ../../../../../shared/testdata
"""

import hashlib
import os
import sys

from cryptography.hazmat.decrepit.ciphers.algorithms import CAST5, TripleDES, Blowfish, Camellia
from cryptography.hazmat.decrepit.ciphers.modes import CFB
from cryptography.hazmat.primitives import cmac, hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM, AESOCB3
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PASSPHRASE = b"fixture passphrase"

# OpenPGP cipher octet -> (cryptography algorithm class, key size, block size)
CIPHERS = {
    2: (TripleDES, 24, 8),
    3: (CAST5, 16, 8),
    4: (Blowfish, 16, 8),
    7: (algorithms.AES, 16, 16),
    8: (algorithms.AES, 24, 16),
    9: (algorithms.AES, 32, 16),
    11: (Camellia, 16, 16),
    13: (Camellia, 32, 16),
}
HASHES = {1: "md5", 2: "sha1", 8: "sha256", 9: "sha384", 10: "sha512", 11: "sha224"}


def read_first_packet(data):
    ctb = data[0]
    assert ctb & 0x80 and not ctb & 0x40, "expects an old-format first packet"
    assert (ctb >> 2) & 15 == 5, "expects a Secret-Key packet"
    ltype = ctb & 3
    n = {0: 1, 1: 2, 2: 4}[ltype]
    length = int.from_bytes(data[1:1 + n], "big")
    return data[1 + n:1 + n + length]


def mpi_end(body, pos):
    bits = int.from_bytes(body[pos:pos + 2], "big")
    return pos + 2 + (bits + 7) // 8


def split_key(body):
    assert body[0] == 4 and body[5] == 1, "expects a v4 RSA key"
    pos = mpi_end(body, 6)
    pos = mpi_end(body, pos)  # n, e
    public = body[:pos]
    assert body[pos] == 0, "expects an unprotected key"
    fields = body[pos + 1:-2]
    assert sum(fields) & 0xFFFF == int.from_bytes(body[-2:], "big")
    return public, fields


def s2k_hashed(hash_octet, salt, count, key_len):
    """RFC 9580 section 3.7.1: simple (salt b"", count 0), salted (count 0), iterated."""
    material = salt + PASSPHRASE
    total = max(count, len(material))
    out = b""
    preload = 0
    while len(out) < key_len:
        h = hashlib.new(HASHES[hash_octet])
        h.update(b"\0" * preload)
        left = total
        while left > 0:
            take = min(left, len(material))
            h.update(material[:take])
            left -= take
        out += h.digest()
        preload += 1
    return out[:key_len]


def decode_count(c):
    return (16 + (c & 15)) << ((c >> 4) + 6)


def cfb(cipher_octet, key, iv, data):
    algo = CIPHERS[cipher_octet][0]
    enc = Cipher(algo(key), CFB(iv)).encryptor()
    return enc.update(data) + enc.finalize()


def omac(algo, key, t, data):
    c = cmac.CMAC(algo(key))
    c.update(bytes(15) + bytes([t]) + data)
    return c.finalize()


def eax_encrypt(algo, key, nonce, ad, plaintext):
    """EAX (Bellare, Rogaway, Wagner), built from CMAC and CTR; 16-octet tag."""
    n = omac(algo, key, 0, nonce)
    h = omac(algo, key, 1, ad)
    ecb = Cipher(algo(key), modes.ECB()).encryptor()  # CTR by hand: OpenSSL lacks Camellia-CTR
    counter = int.from_bytes(n, "big")
    stream = b""
    while len(stream) < len(plaintext):
        stream += ecb.update(counter.to_bytes(16, "big"))
        counter = (counter + 1) % (1 << 128)
    c = bytes(a ^ b for a, b in zip(plaintext, stream))
    t = omac(algo, key, 2, c)
    return c + bytes(a ^ b ^ d for a, b, d in zip(n, h, t))


def aead_seal(cipher_octet, aead_octet, key, nonce, ad, plaintext):
    if aead_octet == 1:
        return eax_encrypt(CIPHERS[cipher_octet][0], key, nonce, ad, plaintext)
    assert CIPHERS[cipher_octet][0] is algorithms.AES
    if aead_octet == 2:
        return AESOCB3(key).encrypt(nonce, plaintext, ad)
    return AESGCM(key).encrypt(nonce, plaintext, ad)


def s2k_spec(spec):
    """(specifier octets, derive(key_len)) for ("simple"|"salted"|"iterated"|"argon2", ...)."""
    kind = spec[0]
    if kind == "simple":
        return bytes([0, spec[1]]), lambda n: s2k_hashed(spec[1], b"", 0, n)
    if kind == "salted":
        return bytes([1, spec[1]]) + spec[2], lambda n: s2k_hashed(spec[1], spec[2], 0, n)
    if kind == "iterated":
        octets = bytes([3, spec[1]]) + spec[2] + bytes([spec[3]])
        return octets, lambda n: s2k_hashed(spec[1], spec[2], decode_count(spec[3]), n)
    salt, t, p, m = spec[1:]
    octets = bytes([4]) + salt + bytes([t, p, m])
    return octets, lambda n: Argon2id(salt=salt, length=n, iterations=t, lanes=p,
                                      memory_cost=1 << m).derive(PASSPHRASE)


def protect_cfb(public, fields, usage, cipher_octet, spec, iv):
    """Usage 254 (SHA-1 check), 255 (checksum) or a legacy cipher octet (simple MD5)."""
    key_len = CIPHERS[cipher_octet][1]
    if usage in (254, 255):
        octets, derive = s2k_spec(spec)
        header = bytes([usage, cipher_octet]) + octets
    else:
        assert usage == cipher_octet
        derive = lambda n: s2k_hashed(1, b"", 0, n)  # noqa: E731
        header = bytes([usage])
    if usage == 254:
        plain = fields + hashlib.sha1(fields).digest()
    else:
        plain = fields + (sum(fields) & 0xFFFF).to_bytes(2, "big")
    return public + header + iv + cfb(cipher_octet, derive(key_len), iv, plain)


def protect_aead(public, fields, cipher_octet, aead_octet, spec, nonce):
    """Usage 253, RFC 9580 section 5.5.3, for a v4 key (packet type 5)."""
    key_len = CIPHERS[cipher_octet][1]
    octets, derive = s2k_spec(spec)
    info = bytes([0xC5, 4, cipher_octet, aead_octet])
    kek = HKDF(algorithm=hashes.SHA256(), length=key_len, salt=None, info=info).derive(derive(key_len))
    sealed = aead_seal(cipher_octet, aead_octet, kek, nonce, bytes([0xC5]) + public, fields)
    return public + bytes([253, cipher_octet, aead_octet]) + octets + nonce + sealed


def packet(body):
    n = len(body)
    assert n < 8384
    if n < 192:
        return bytes([0xC5, n]) + body
    n -= 192
    return bytes([0xC5, (n >> 8) + 192, n & 0xFF]) + body


SALT8 = bytes(range(1, 9))
SALT16 = bytes(range(16, 32))
FIXTURES = {
    "usage255-cast5-salted-sha1": lambda p, f: protect_cfb(p, f, 255, 3, ("salted", 2, SALT8), bytes(range(8))),
    "usage255-3des-iterated-sha512": lambda p, f: protect_cfb(p, f, 255, 2, ("iterated", 10, SALT8, 0x60),
                                                              bytes(range(8, 16))),
    "usage255-blowfish-simple-sha224": lambda p, f: protect_cfb(p, f, 255, 4, ("simple", 11), bytes(range(16, 24))),
    "legacy-cast5-md5": lambda p, f: protect_cfb(p, f, 3, 3, None, bytes(range(24, 32))),
    "usage254-camellia256-iterated-sha384": lambda p, f: protect_cfb(p, f, 254, 13, ("iterated", 9, SALT8, 0x60),
                                                                     bytes(range(32, 48))),
    "usage253-eax-aes128-iterated-sha256": lambda p, f: protect_aead(p, f, 7, 1, ("iterated", 8, SALT8, 0x60),
                                                                     bytes(range(48, 64))),
    "usage253-eax-camellia128-salted-sha256": lambda p, f: protect_aead(p, f, 11, 1, ("salted", 8, SALT8),
                                                                        bytes(range(64, 80))),
    "usage253-ocb-aes192-argon2": lambda p, f: protect_aead(p, f, 8, 2, ("argon2", SALT16, 1, 1, 10),
                                                            bytes(range(80, 95))),
    "usage253-gcm-aes256-iterated-sha1": lambda p, f: protect_aead(p, f, 9, 3, ("iterated", 2, SALT8, 0x60),
                                                                   bytes(range(96, 108))),
}


def main():
    testdata = sys.argv[1] if len(sys.argv) > 1 else "../../../../../shared/testdata"
    src = open(os.path.join(testdata, "sequoia/keys/testy-private.pgp"), "rb").read()
    public, fields = split_key(read_first_packet(src))
    for name, make in FIXTURES.items():
        with open(name + ".pgp", "wb") as out:
            out.write(packet(make(public, fields)))
        print(name + ".pgp")


if __name__ == "__main__":
    main()
