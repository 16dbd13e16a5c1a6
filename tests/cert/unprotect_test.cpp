// cert::unprotect against protected keys from peers (gpg, sq, rnpkeys, made in the test),
// from shared/testdata (GnuPG 1.x, PGP 2.6 v3 IDEA, Sequoia, GopenPGP, RNP's GNU stubs,
// RFC 9580 A.5) and from tests/data/cert/unprotect (schemes no peer here writes, made with
// Python's cryptography by make-fixtures.py). Each unlocked secret is checked against the
// public key through crypto::secret_matches_public, and a wrong passphrase must give
// Errc::BadPassphrase; hostile variants must give errors, never crashes.

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "armor/armor.h"
#include "base/error.h"
#include "cert/secret_key.h"
#include "crypto/key_check.h"
#include "keygen/material.h"
#include "packet/parser.h"
#include "tests/support/env.h"

namespace pgpkit {
namespace {

using packet::AeadAlgo;
using packet::HashAlgo;
using packet::PubkeyAlgo;
using packet::S2kType;
using packet::SymAlgo;
using packet::Tag;
using test::run;
using test::shell_quote;
using test::TempDir;

struct SecretKey {
    packet::Key key;
    packet::Tag tag = packet::Tag::SecretKey;
};

SecretBytes secret(std::string_view s) { return SecretBytes(s.begin(), s.end()); }

SecretBytes secret_from_hex(std::string_view h) {
    SecretBytes out;
    for (std::size_t i = 0; i + 1 < h.size(); i += 2)
        out.push_back(static_cast<std::uint8_t>(std::stoi(std::string(h.substr(i, 2)), nullptr, 16)));
    return out;
}

std::vector<SecretKey> secret_keys(const Bytes& data) {
    SecretBytes bin(data.begin(), data.end());
    if (armor::looks_armored(data)) bin = armor::decode_all(data).at(0).data;
    std::vector<SecretKey> out;
    for (const packet::Packet& p : packet::parse_all(bin)) {
        if (p.tag() != Tag::SecretKey && p.tag() != Tag::SecretSubkey) continue;
        if (const auto* k = p.get<packet::Key>()) out.push_back({*k, p.tag()});
    }
    return out;
}

std::vector<SecretKey> shared_keys(const std::string& path) {
    return secret_keys(test::read_bytes(test::shared_testdata() + "/" + path));
}

std::vector<SecretKey> fixture(const std::string& name) {
    return secret_keys(test::read_bytes(test::test_data_dir() + "/cert/unprotect/" + name + ".pgp"));
}

/** secp256k1 (OID 1.3.132.0.10), which crypto::Curve does not model. */
bool on_secp256k1(const packet::Key& k) {
    const Bytes oid{0x2B, 0x81, 0x04, 0x00, 0x0A};
    return (k.algo == PubkeyAlgo::Ecdh || k.algo == PubkeyAlgo::Ecdsa) && !k.fields.empty() && k.fields[0].data == oid;
}

/** True if the secret fields reproduce the key's public fields (RSA n = pq, y = g^x, Q = dG). */
::testing::AssertionResult matches_public(const packet::Key& k, const cert::SecretFields& f) {
    if (on_secp256k1(k)) {
        // No crypto::Curve for it: the SHA-1 check that unprotect passed is all we have;
        // at least the scalar must be one field of at most 32 octets.
        if (f.fields.size() == 1 && !f.fields[0].value.empty() && f.fields[0].value.size() <= 32)
            return ::testing::AssertionSuccess();
        return ::testing::AssertionFailure() << "secp256k1 secret of the wrong shape";
    }
    try {
        const keygen::KeyMaterial m = keygen::material_from_key(k, f, k.created, 4);
        const bool ok = m.rsa  ? crypto::secret_matches_public(*m.rsa)
                        : m.dl ? crypto::secret_matches_public(*m.dl)
                               : crypto::secret_matches_public(*m.ec);
        if (ok) return ::testing::AssertionSuccess();
        return ::testing::AssertionFailure() << "secret does not match the public key " << to_hex(k.keyid);
    } catch (const Error& e) {
        return ::testing::AssertionFailure() << "key " << to_hex(k.keyid) << ": " << e.what();
    }
}

/** Runs `f`, which must throw pgpkit::Error of `kind` whose detail contains `part`. */
void expect_error(const std::function<void()>& f, Errc kind, const std::string& part) {
    try {
        f();
        ADD_FAILURE() << "no error, expected " << errc_name(kind) << ": " << part;
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), kind) << e.what();
        EXPECT_NE(e.detail().find(part), std::string::npos) << e.what();
    }
}

/** Every encrypted key opens with `pass` to a secret matching its public key, and not with a wrong one. */
void expect_unlocks(const std::vector<SecretKey>& keys, const std::string& pass, std::size_t want_encrypted) {
    std::size_t encrypted = 0;
    for (const SecretKey& s : keys) {
        if (cert::secret_kind(s.key) != cert::SecretKind::Encrypted) continue;
        ++encrypted;
        SCOPED_TRACE("key " + to_hex(s.key.keyid) + " usage " + std::to_string(s.key.secret->usage) + " cipher " +
                     std::to_string(static_cast<unsigned>(s.key.secret->sym_algo)));
        try {
            const cert::SecretFields f = cert::unprotect(s.key, s.tag, secret(pass));
            EXPECT_TRUE(matches_public(s.key, f));
        } catch (const Error& e) {
            ADD_FAILURE() << e.what();
        }
        expect_error([&] { (void)cert::unprotect(s.key, s.tag, secret(pass + "x")); }, Errc::BadPassphrase,
                     "wrong passphrase for key " + to_hex(s.key.keyid));
    }
    EXPECT_EQ(encrypted, want_encrypted);
}

// ---- keys made by peers in the test ----

TEST(UnprotectPeers, GpgExportedKeysOpenAndMatch) {
    TempDir dir;
    const std::string home = dir.file("gnupg");
    ASSERT_EQ(run("mkdir -m 700 " + shell_quote(home)).exit_code, 0);
    const std::string gpg = "gpg --homedir " + shell_quote(home) + " --batch --no-tty --pinentry-mode loopback " +
                            "--passphrase 'gpg pass' ";
    test::RunResult r = run(gpg + "--quick-gen-key '<g@example.org>' ed25519 sign never");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    r = run(gpg + "--with-colons --list-secret-keys");
    const std::string fpr = r.out.substr(r.out.find("fpr:::::::::") + 12, 40);
    ASSERT_EQ(run(gpg + "--quick-add-key " + fpr + " cv25519 encr never").exit_code, 0);
    ASSERT_EQ(run(gpg + "--quick-add-key " + fpr + " rsa2048 encr never").exit_code, 0);
    ASSERT_EQ(run(gpg + "--quick-add-key " + fpr + " nistp256/ecdsa sign never").exit_code, 0);
    r = run(gpg + "--export-secret-keys > " + shell_quote(dir.file("sec.pgp")));
    run("gpgconf --homedir " + shell_quote(home) + " --kill all");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::vector<SecretKey> keys = secret_keys(test::read_bytes(dir.file("sec.pgp")));
    ASSERT_EQ(keys.size(), 4u);
    for (const SecretKey& s : keys) {  // what gpg 2.2 exports: usage 254, AES-128, iterated SHA-1
        EXPECT_EQ(s.key.secret->usage, 254);
        EXPECT_EQ(s.key.secret->sym_algo, SymAlgo::Aes128);
        EXPECT_EQ(s.key.secret->s2k->type, S2kType::IteratedSalted);
        EXPECT_EQ(s.key.secret->s2k->hash_algo, HashAlgo::Sha1);
    }
    expect_unlocks(keys, "gpg pass", 4);
}

TEST(UnprotectPeers, SqGeneratedKeysOpenAndMatch) {
    TempDir dir;
    // sq 0.27 reads the password from the terminal only: give it one with script(1).
    for (const char* suite : {"cv25519", "rsa3k"}) {
        const std::string out = dir.file(std::string(suite) + ".pgp");
        const std::string cmd = "sq key generate --userid '<sq@example.org>' --cipher-suite " + std::string(suite) +
                                " --with-password --export " + out;
        test::RunResult r =
            run("script -qec " + shell_quote(cmd) + " /dev/null", "sq pass phrase\nsq pass phrase\n");
        ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
        const std::vector<SecretKey> keys = secret_keys(test::read_bytes(out));
        ASSERT_GE(keys.size(), 2u);
        for (const SecretKey& s : keys) {  // sq: usage 254, AES-256, iterated SHA-256
            EXPECT_EQ(s.key.secret->usage, 254);
            EXPECT_EQ(s.key.secret->sym_algo, SymAlgo::Aes256);
            EXPECT_EQ(s.key.secret->s2k->hash_algo, HashAlgo::Sha256);
        }
        expect_unlocks(keys, "sq pass phrase", keys.size());
    }
}

TEST(UnprotectPeers, RnpkeysEveryCipherAndHash) {
    struct Case {
        const char* cipher;
        const char* hash;
        SymAlgo sym;
        HashAlgo hash_algo;
    };
    const Case cases[] = {
        {"IDEA", "MD5", SymAlgo::Idea, HashAlgo::Md5},
        {"TRIPLEDES", "SHA1", SymAlgo::TripleDes, HashAlgo::Sha1},
        {"CAST5", "RIPEMD160", SymAlgo::Cast5, HashAlgo::Ripemd160},
        {"BLOWFISH", "SHA224", SymAlgo::Blowfish, HashAlgo::Sha224},
        {"AES128", "SHA256", SymAlgo::Aes128, HashAlgo::Sha256},
        {"AES192", "SHA384", SymAlgo::Aes192, HashAlgo::Sha384},
        {"AES256", "SHA512", SymAlgo::Aes256, HashAlgo::Sha512},
        {"TWOFISH", "SHA256", SymAlgo::Twofish, HashAlgo::Sha256},
        {"CAMELLIA128", "SHA1", SymAlgo::Camellia128, HashAlgo::Sha1},
        {"CAMELLIA192", "SHA512", SymAlgo::Camellia192, HashAlgo::Sha512},
        {"CAMELLIA256", "SHA224", SymAlgo::Camellia256, HashAlgo::Sha224},
    };
    TempDir dir;
    for (const Case& c : cases) {
        SCOPED_TRACE(std::string(c.cipher) + "/" + c.hash);
        const std::string home = dir.file(c.cipher);
        const std::string uid = std::string(c.cipher) + "@example.org";
        ASSERT_EQ(run("mkdir -m 700 " + shell_quote(home)).exit_code, 0);
        test::RunResult r = run("rnpkeys --homedir " + shell_quote(home) + " --generate-key --numbits 1024 --userid " +
                                uid + " --password 'rnp pass' --cipher " + c.cipher + " --hash " + c.hash);
        ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
        r = run("rnpkeys --homedir " + shell_quote(home) + " --export-key --secret " + uid);
        ASSERT_EQ(r.exit_code, 0) << r.err;
        const std::vector<SecretKey> keys = secret_keys(Bytes(r.out.begin(), r.out.end()));
        ASSERT_EQ(keys.size(), 2u);
        for (const SecretKey& s : keys) {
            EXPECT_EQ(s.key.secret->usage, 254);
            EXPECT_EQ(s.key.secret->sym_algo, c.sym);
            EXPECT_EQ(s.key.secret->s2k->hash_algo, c.hash_algo);
        }
        expect_unlocks(keys, "rnp pass", 2);
    }
}

// ---- public test data ----

TEST(UnprotectTestdata, GnuPG1SecringAes256IteratedSha256) {
    expect_unlocks(shared_keys("rnp/keyrings/1/secring.gpg"), "password", 7);
}

TEST(UnprotectTestdata, SequoiaTestyAes128IteratedSha1) {
    expect_unlocks(shared_keys("sequoia/keys/testy-new-encrypted-with-123.pgp"), "123", 2);
}

TEST(UnprotectTestdata, Pgp263V3IdeaKeyWithPerMpiResync) {
    // PGP 2.6.3i: v3 RSA, legacy usage octet 1 (IDEA, simple MD5 S2K), MPI bit counts and
    // checksum in the clear, CFB resynchronised at each MPI.
    for (const char* path : {"rnp/keyrings/4/rsav3-s.asc", "rnp/keyrings/4/secring.pgp"}) {
        SCOPED_TRACE(path);
        const std::vector<SecretKey> keys = shared_keys(path);
        ASSERT_EQ(keys.size(), 1u);
        EXPECT_EQ(keys[0].key.version, 3);
        EXPECT_EQ(keys[0].key.secret->usage, 1);
        expect_unlocks(keys, "password", 1);
        expect_error([&] { (void)cert::unprotect(keys[0].key, Tag::SecretKey, secret("passw0rd")); },
                     Errc::BadPassphrase, "wrong passphrase for key 7D0BC10E933404C9");
    }
}

TEST(UnprotectTestdata, GnuDummyPrimaryIsAStubAndSubkeysOpen) {
    const std::vector<SecretKey> keys = shared_keys("gopenpgp/key_dummy");
    ASSERT_EQ(keys.size(), 2u);
    EXPECT_EQ(cert::secret_kind(keys[0].key), cert::SecretKind::GnuDummy);
    expect_error([&] { (void)cert::unprotect(keys[0].key, Tag::SecretKey, secret("golang")); }, Errc::Usage,
                 "key stub without secret material (gnu-dummy)");
    expect_unlocks(keys, "golang", 1);
}

TEST(UnprotectTestdata, DivertToCardNamesTheCardAndOtherModesAreUnsupported) {
    const std::vector<SecretKey> card = shared_keys("rnp/test_key_edge_cases/alice-s2k-101-2-card.pgp");
    ASSERT_EQ(card.size(), 3u);
    EXPECT_EQ(cert::secret_kind(card[0].key), cert::SecretKind::DivertToCard);
    const std::string serial = to_hex(card[0].key.secret->s2k->card_serial);
    ASSERT_FALSE(serial.empty());
    expect_error([&] { (void)cert::unprotect(card[0].key, Tag::SecretKey, secret("password")); }, Errc::Usage,
                 "secret key on card " + serial);
    expect_unlocks(card, "password", 2);

    const std::vector<SecretKey> dummy = shared_keys("rnp/test_key_edge_cases/alice-s2k-101-1-subs.pgp");
    EXPECT_EQ(cert::secret_kind(dummy.at(0).key), cert::SecretKind::GnuDummy);
    const std::vector<SecretKey> other = shared_keys("rnp/test_key_edge_cases/alice-s2k-101-3.pgp");
    EXPECT_EQ(cert::secret_kind(other.at(0).key), cert::SecretKind::UnknownStub);
    expect_error([&] { (void)cert::unprotect(other[0].key, Tag::SecretKey, secret("password")); }, Errc::Usage,
                 "unsupported protection: GNU S2K extension mode 1003");
}

TEST(UnprotectTestdata, Rfc9580LockedV6SampleOpensToTheUnlockedSample) {
    const std::vector<SecretKey> locked = shared_keys("rfc9580/A.5.sample-locked-v6-seckey-argon2-aead.asc");
    const std::vector<SecretKey> open = shared_keys("rfc9580/A.4.transferable-seckey-v6.asc");
    ASSERT_EQ(locked.size(), 2u);
    ASSERT_EQ(open.size(), 2u);
    // The sample's Argon2 takes 2 GiB: use the S2K outputs RFC 9580 publishes beside it.
    const char* derived[] = {"832BD2662A5C2B251EE3FC82AEC349A766CA539015880133002E5A21960B3BCF",
                             "F74A6CE873A089EF13A3DA9AC059777BB22340D15EAA6C9DC0F8EF09035C67CD"};
    for (std::size_t i = 0; i < 2; ++i) {
        const SecretBytes k = secret_from_hex(derived[i]);
        const cert::SecretFields f = cert::unprotect_with_s2k_key(locked[i].key, locked[i].tag, k);
        EXPECT_EQ(f, cert::unprotect(open[i].key, open[i].tag, {}));
        EXPECT_TRUE(matches_public(locked[i].key, f));
        SecretBytes wrong = k;
        wrong[0] ^= 1;
        expect_error([&] { (void)cert::unprotect_with_s2k_key(locked[i].key, locked[i].tag, wrong); },
                     Errc::BadPassphrase, "(AEAD authentication failed)");
    }
    // A limit below the sample's 2^21 KiB refuses before allocating anything.
    expect_error(
        [&] { (void)cert::unprotect(locked[0].key, Tag::SecretKey, secret("correct horse battery staple"), {20}); },
        Errc::LimitExceeded, "2^21 KiB exceeds the limit of 2^20 KiB");
    packet::Key slow = locked[0].key;
    slow.secret->s2k->argon2_t = 255;  // 255 passes over 2 GiB: refused before any work
    expect_error([&] { (void)cert::unprotect(slow, Tag::SecretKey, secret("x")); }, Errc::LimitExceeded,
                 "Argon2 work of 255 passes over 2^21 KiB");
}

// ---- schemes no peer here writes (tests/data/cert/unprotect, made by make-fixtures.py) ----

const char* const python_fixtures[] = {
    "usage255-cast5-salted-sha1",         "usage255-3des-iterated-sha512",
    "usage255-blowfish-simple-sha224",    "legacy-cast5-md5",
    "usage254-camellia256-iterated-sha384", "usage253-eax-aes128-iterated-sha256",
    "usage253-eax-camellia128-salted-sha256", "usage253-ocb-aes192-argon2",
    "usage253-gcm-aes256-iterated-sha1",
};

TEST(UnprotectFixtures, EverySchemeOpensToTheCleartextKey) {
    const std::vector<SecretKey> plain = shared_keys("sequoia/keys/testy-private.pgp");
    const cert::SecretFields want = cert::unprotect(plain.at(0).key, Tag::SecretKey, {});
    EXPECT_TRUE(matches_public(plain[0].key, want));
    for (const char* name : python_fixtures) {
        SCOPED_TRACE(name);
        const std::vector<SecretKey> keys = fixture(name);
        ASSERT_EQ(keys.size(), 1u);
        EXPECT_EQ(cert::unprotect(keys[0].key, Tag::SecretKey, secret("fixture passphrase")), want);
        expect_unlocks(keys, "fixture passphrase", 1);
    }
}

TEST(UnprotectFixtures, AeadBindsThePacketType) {
    const std::vector<SecretKey> keys = fixture("usage253-gcm-aes256-iterated-sha1");
    expect_error([&] { (void)cert::unprotect(keys.at(0).key, Tag::SecretSubkey, secret("fixture passphrase")); },
                 Errc::BadPassphrase, "wrong passphrase");
    expect_error([&] { (void)cert::unprotect(keys.at(0).key, Tag::PublicKey, secret("fixture passphrase")); },
                 Errc::Usage, "packet type 6 is not a secret key type");
}

// ---- errors ----

TEST(UnprotectErrors, CleartextChecksumMismatchIsCorrupt) {
    std::vector<SecretKey> keys = shared_keys("sequoia/keys/testy-private.pgp");
    packet::Key k = keys.at(0).key;
    ASSERT_TRUE(k.secret->checksum);
    *k.secret->checksum ^= 1;
    expect_error([&] { (void)cert::unprotect(k, Tag::SecretKey, {}); }, Errc::BadField,
                 "secret material corrupt: checksum mismatch");
}

TEST(UnprotectErrors, NotASecretKey) {
    packet::Key k = shared_keys("sequoia/keys/testy-private.pgp").at(0).key;
    k.secret.reset();
    EXPECT_EQ(cert::secret_kind(k), cert::SecretKind::None);
    expect_error([&] { (void)cert::unprotect(k, Tag::SecretKey, secret("x")); }, Errc::Usage, "not a secret key");
}

/** The first key of fixture `name` with `change` applied must fail with `kind` and `part`. */
void expect_mutant(const std::string& name, const std::function<void(packet::SecretKeyMaterial&)>& change,
                   Errc kind, const std::string& part) {
    SCOPED_TRACE(name + ": " + part);
    packet::Key k = fixture(name).at(0).key;
    change(*k.secret);
    expect_error([&] { (void)cert::unprotect(k, Tag::SecretKey, secret("fixture passphrase")); }, kind, part);
}

TEST(UnprotectErrors, UnsupportedSchemesSayWhat) {
    const std::string gcm = "usage253-gcm-aes256-iterated-sha1", cfb = "usage254-camellia256-iterated-sha384";
    expect_mutant(gcm, [](auto& s) { s.aead_algo = static_cast<AeadAlgo>(4); }, Errc::Usage,
                  "unsupported protection: usage 253 with AEAD 4");
    expect_mutant(cfb, [](auto& s) { s.sym_algo = static_cast<SymAlgo>(99); }, Errc::Usage,
                  "unsupported protection: cipher 99");
    expect_mutant(cfb, [](auto& s) { s.s2k->hash_algo = static_cast<HashAlgo>(99); }, Errc::Usage,
                  "unsupported protection: S2K hash 99");
    expect_mutant(cfb, [](auto& s) { s.s2k->type = static_cast<S2kType>(2); }, Errc::Usage,
                  "unsupported protection: S2K type 2");
    expect_mutant(cfb,
                  [](auto& s) {
                      s.s2k->type = S2kType::Argon2;
                      s.s2k->argon2_t = 1;
                      s.s2k->argon2_p = 1;
                      s.s2k->argon2_m = 10;
                  },
                  Errc::BadField, "Argon2 S2K with usage 254");
    expect_mutant(gcm, [](auto& s) { s.sym_algo = SymAlgo::Cast5; s.iv.resize(8); }, Errc::BadField,
                  "usage 253 with a 64-bit block cipher");
}

TEST(UnprotectErrors, HostileEncryptedDataGivesErrorsNotCrashes) {
    for (const char* name : python_fixtures) {
        expect_mutant(name, [](auto& s) { s.iv.clear(); }, Errc::BadField, "IV of 0 octets");
        expect_mutant(name, [](auto& s) { s.iv.push_back(0); }, Errc::BadField, "expected");
        expect_mutant(name, [](auto& s) { s.encrypted.clear(); }, Errc::Truncated, "shorter than");
        expect_mutant(name, [](auto& s) { s.encrypted.back() ^= 0x80; }, Errc::BadPassphrase, "wrong passphrase");
        expect_mutant(name, [](auto& s) { s.encrypted.resize(s.encrypted.size() / 2); }, Errc::BadPassphrase,
                      "wrong passphrase");
    }
    // v3: cut the encrypted MPIs anywhere.
    const packet::Key v3 = shared_keys("rnp/keyrings/4/rsav3-s.asc").at(0).key;
    for (std::size_t n = 0; n < v3.secret->encrypted.size(); n += 7) {
        packet::Key k = v3;
        k.secret->encrypted.resize(n);
        EXPECT_THROW((void)cert::unprotect(k, Tag::SecretKey, secret("password")), Error) << n;
    }
}

TEST(UnprotectErrors, V6ForbidsUsage255) {
    packet::Key k = shared_keys("rfc9580/A.5.sample-locked-v6-seckey-argon2-aead.asc").at(0).key;
    k.secret->usage = 255;
    expect_error([&] { (void)cert::unprotect(k, Tag::SecretKey, secret("x")); }, Errc::BadField,
                 "usage 255 in a v6 key");
}

}  // namespace
}  // namespace pgpkit
