// Import preparation, merging and the import counters (keyring/clean.h, keyring/merge.h,
// keyring/import_stats.h) on certificates of tests/data, taken apart and put together.

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "cert/cert.h"
#include "keyring/clean.h"
#include "keyring/import_stats.h"
#include "keyring/merge.h"
#include "packet/names.h"
#include "tests/support/env.h"

namespace pgpkit {
namespace {

using cert::Cert;
using cert::Component;
using cert::ComponentKind;
using keyring::DropReason;
using keyring::ImportOptions;
using keyring::ImportOutcome;
using keyring::Problem;
using packet::Packet;
using packet::Signature;

constexpr std::uint32_t now = 1800000000;  // 2027-01-15, after the fixtures were made

Cert load(const std::string& name) {
    auto certs = cert::read_all_certs(test::read_bytes(test::test_data_dir() + "/" + name));
    if (certs.size() != 1) throw std::runtime_error(name + ": expected one certificate");
    return std::move(certs.front());
}

/** An EdDSA certificate: primary, one user ID, one subkey. */
Cert rsa() { return load("examples/alice.pub.asc"); }

Component& first(Cert& c, ComponentKind k) {
    for (Component& comp : c.components)
        if (comp.kind == k) return comp;
    throw std::runtime_error("no such component");
}

Signature& sig_of(Packet& p) { return std::get<Signature>(p.body); }

/** Rewrites every issuer subpacket of `s` to name key ID `id`. */
void set_issuer(Signature& s, std::uint64_t id) {
    for (auto* area : {&s.hashed, &s.unhashed})
        for (auto& sp : *area) {
            if (sp.type() == packet::SubpacketType::IssuerKeyId && sp.body.size() == 8)
                for (int i = 0; i < 8; ++i) sp.body[i] = static_cast<std::uint8_t>(id >> (56 - 8 * i));
            if (sp.type() == packet::SubpacketType::IssuerFingerprint && sp.body.size() >= 9)
                for (int i = 0; i < 8; ++i) sp.body[sp.body.size() - 8 + i] = static_cast<std::uint8_t>(id >> (56 - 8 * i));
        }
}

/** Flips a bit of the last signature value, so it no longer verifies (and differs). */
void spoil(Signature& s, std::uint8_t bit = 1) { s.fields.back().data.back() ^= bit; }

bool has_drop(const keyring::Prepared& p, DropReason r) {
    return std::any_of(p.dropped.begin(), p.dropped.end(), [&](const keyring::Dropped& d) { return d.reason == r; });
}

cert::CheckContext ctx() { return {}; }

keyring::Prepared prepare(Cert c, const ImportOptions& opt = {}) {
    return keyring::prepare_cert(std::move(c), opt, ctx(), now);
}

TEST(MergeTest, FixtureHasUserIdAndSubkey) {
    Cert c = rsa();
    ASSERT_EQ(c.of_kind(ComponentKind::UserId).size(), 1u);
    ASSERT_EQ(c.of_kind(ComponentKind::Subkey).size(), 1u);
}

TEST(MergeTest, ValidCertIsKeptAsIs) {
    const Cert c = rsa();
    const auto p = prepare(c);
    EXPECT_TRUE(p.importable());
    EXPECT_TRUE(p.dropped.empty());
    EXPECT_EQ(cert::write_cert(p.cert), cert::write_cert(c));
}

TEST(MergeTest, UserIdWithoutSelfSignatureIsDropped) {
    Cert c = rsa();
    Component extra = first(c, ComponentKind::UserId);
    std::get<packet::UserId>(extra.head.body).data = Bytes{'M', 'a', 'l'};
    extra.tail.clear();
    c.components.insert(c.components.begin() + 1, extra);
    const auto p = prepare(c);
    EXPECT_TRUE(p.importable());
    ASSERT_EQ(p.dropped.size(), 1u);
    EXPECT_TRUE(p.dropped[0].whole_component);
    EXPECT_EQ(p.dropped[0].reason, DropReason::NoValidSelfSignature);
    EXPECT_EQ(p.dropped[0].component, "user ID \"Mal\"");
    EXPECT_EQ(cert::write_cert(p.cert), cert::write_cert(rsa()));
}

TEST(MergeTest, BadSelfSignatureLeavesNoValidUserIds) {
    Cert c = rsa();
    for (Packet& p : first(c, ComponentKind::UserId).tail) spoil(sig_of(p));
    const auto p = prepare(c);
    EXPECT_EQ(p.problem, Problem::NoValidUserIds);
    EXPECT_STREQ(keyring::problem_text(p.problem), "no valid user IDs");
    keyring::ImportStats stats;
    stats.add(keyring::import_cert(rsa(), nullptr, {}, ctx(), now));
    stats.add(keyring::import_cert(c, nullptr, {}, ctx(), now));
    EXPECT_EQ(keyring::import_res_args(stats), "2 1 1 0 0 0 0 0 0 0 0 0 0 0 0");
}

TEST(MergeTest, NoUserIdAtAllIsCountedAsWithoutUserIds) {
    Cert c = rsa();
    std::erase_if(c.components, [](const Component& k) { return k.kind == ComponentKind::UserId; });
    const auto r = keyring::import_cert(c, nullptr, {}, ctx(), now);
    EXPECT_EQ(r.problem, Problem::NoUserId);
    keyring::ImportStats stats;
    stats.add(r);
    // gpg 2.2.40 on RFC 9580 A.1 (a key without user IDs): IMPORT_RES 1 1 0 ...
    EXPECT_EQ(keyring::import_res_args(stats), "1 1 0 0 0 0 0 0 0 0 0 0 0 0 0");
}

TEST(MergeTest, DuplicateUserIdsCollapse) {
    Cert c = rsa();
    c.components.insert(c.components.begin() + 1, first(c, ComponentKind::UserId));
    const auto p = prepare(c);
    EXPECT_EQ(p.user_ids_collapsed, 1u);
    EXPECT_TRUE(has_drop(p, DropReason::DuplicateUserId));
    EXPECT_TRUE(has_drop(p, DropReason::DuplicateSignature));
    EXPECT_EQ(cert::write_cert(p.cert), cert::write_cert(rsa()));
}

TEST(MergeTest, BadBindingDropsSubkey) {
    Cert c = rsa();
    for (Packet& p : first(c, ComponentKind::Subkey).tail) spoil(sig_of(p));
    const auto p = prepare(c);
    EXPECT_TRUE(p.importable());
    EXPECT_TRUE(p.cert.of_kind(ComponentKind::Subkey).empty());
    EXPECT_TRUE(has_drop(p, DropReason::NoValidSelfSignature));
}

TEST(MergeTest, ThirdPartySignaturesStayUnlessSelfSigsOnly) {
    Cert c = rsa();
    Packet foreign = first(c, ComponentKind::UserId).tail.front();
    set_issuer(sig_of(foreign), 0x1122334455667788ull);
    spoil(sig_of(foreign));
    first(c, ComponentKind::UserId).tail.push_back(foreign);
    EXPECT_EQ(prepare(c).cert.components[0].tail.size(), 2u);  // gpg does not check them on import
    ImportOptions opt;
    opt.self_sigs_only = true;
    const auto p = prepare(c, opt);
    EXPECT_EQ(p.cert.components[0].tail.size(), 1u);
    EXPECT_TRUE(has_drop(p, DropReason::NotSelfSignature));
}

TEST(MergeTest, ImportCleanDropsSignaturesOfUnknownIssuers) {
    Cert c = rsa();
    Packet foreign = first(c, ComponentKind::UserId).tail.front();
    set_issuer(sig_of(foreign), 0x1122334455667788ull);
    first(c, ComponentKind::UserId).tail.push_back(foreign);
    ImportOptions opt;
    opt.import_clean = true;
    const auto p = prepare(c, opt);
    EXPECT_EQ(p.cert.components[0].tail.size(), 1u);
    EXPECT_TRUE(has_drop(p, DropReason::Cleaned));
    Cert copy = c;
    const auto counts = keyring::clean_cert(copy, false, ctx(), now);
    EXPECT_EQ(counts.sigs_cleaned, 1u);
    EXPECT_EQ(counts.uids_cleaned, 0u);
}

TEST(MergeTest, UnexpectedSignatureClassIsDropped) {
    Cert c = rsa();
    Packet odd = first(c, ComponentKind::UserId).tail.front();
    sig_of(odd).sig_type = static_cast<decltype(sig_of(odd).sig_type)>(packet::SigType::Binary);
    spoil(sig_of(odd));  // else repair-keys removes it first, as a duplicate by value
    first(c, ComponentKind::UserId).tail.push_back(odd);
    const auto p = prepare(c);
    EXPECT_TRUE(has_drop(p, DropReason::UnexpectedClass));
    EXPECT_EQ(cert::write_cert(p.cert), cert::write_cert(rsa()));
}

TEST(MergeTest, RepairKeysRemovesDuplicatesAndMovesMisplacedSelfSignatures) {
    Cert c = rsa();
    Component& uid = first(c, ComponentKind::UserId);
    uid.tail.push_back(uid.tail.front());
    auto p = prepare(c);
    EXPECT_TRUE(has_drop(p, DropReason::DuplicateSignature));
    EXPECT_EQ(cert::write_cert(p.cert), cert::write_cert(rsa()));

    Cert moved = rsa();
    Packet self = first(moved, ComponentKind::UserId).tail.front();
    first(moved, ComponentKind::UserId).tail.clear();
    first(moved, ComponentKind::Subkey).tail.push_back(self);
    p = prepare(moved);
    EXPECT_EQ(p.reordered, 1u);
    EXPECT_EQ(cert::write_cert(p.cert), cert::write_cert(rsa()));
}

TEST(MergeTest, MergeAddsSubkeyUserIdAndSignatures) {
    const Cert full = rsa();
    Cert no_sub = full;
    std::erase_if(no_sub.components, [](const Component& k) { return k.kind == ComponentKind::Subkey; });
    auto n = keyring::merge_into(no_sub, full);
    EXPECT_EQ(n.subkeys, 1u);
    EXPECT_EQ(n.sigs, 1u);
    EXPECT_EQ(n.uids, 0u);
    EXPECT_EQ(cert::write_cert(no_sub), cert::write_cert(full));

    Cert no_uid = full;
    std::erase_if(no_uid.components, [](const Component& k) { return k.kind == ComponentKind::UserId; });
    n = keyring::merge_into(no_uid, full);
    EXPECT_EQ(n.uids, 1u);
    EXPECT_EQ(n.sigs, full.components[0].tail.size());
    EXPECT_EQ(cert::write_cert(no_uid), cert::write_cert(full));  // the user ID goes before the subkey

    Cert bare_uid = full;
    first(bare_uid, ComponentKind::UserId).tail.clear();
    n = keyring::merge_into(bare_uid, full);
    EXPECT_EQ(n.sigs, full.components[0].tail.size());
    EXPECT_EQ(cert::write_cert(bare_uid), cert::write_cert(full));

    Cert same = full;
    EXPECT_FALSE(keyring::merge_into(same, full).any());
    EXPECT_EQ(cert::write_cert(same), cert::write_cert(full));
}

TEST(MergeTest, KeyRevocationsAndDirectKeySignaturesGoRightAfterThePrimaryKey) {
    Cert existing = rsa();
    Cert incoming = rsa();
    Packet rev = first(incoming, ComponentKind::UserId).tail.front();
    sig_of(rev).sig_type = static_cast<decltype(sig_of(rev).sig_type)>(packet::SigType::KeyRevocation);
    Packet direct = rev;
    sig_of(direct).sig_type = static_cast<decltype(sig_of(direct).sig_type)>(packet::SigType::DirectKey);
    spoil(sig_of(direct));
    incoming.primary.tail = {rev, direct};
    const auto n = keyring::merge_into(existing, incoming);
    EXPECT_EQ(n.sigs, 2u);
    ASSERT_EQ(existing.primary.tail.size(), 2u);
    // Each is inserted right after the key, so the direct-key signature (merged second) is first.
    EXPECT_EQ(static_cast<packet::SigType>(sig_of(existing.primary.tail[0]).sig_type), packet::SigType::DirectKey);
    EXPECT_EQ(static_cast<packet::SigType>(sig_of(existing.primary.tail[1]).sig_type), packet::SigType::KeyRevocation);
    EXPECT_FALSE(keyring::merge_into(existing, incoming).any());
}

TEST(MergeTest, SubkeySignatureIsNewOnlyWhenNewer) {
    Cert existing = rsa();
    Cert incoming = rsa();
    Signature& binding = sig_of(first(incoming, ComponentKind::Subkey).tail.front());
    spoil(binding);  // other values, same issuer, type and time: not new for merge_keysigs
    EXPECT_FALSE(keyring::merge_into(existing, incoming).any());
    for (auto& sp : binding.hashed)
        if (sp.type() == packet::SubpacketType::SignatureCreationTime) sp.body[3] ^= 1;
    const bool newer = binding.created().value_or(0) > sig_of(first(existing, ComponentKind::Subkey).tail.front())
                                                             .created()
                                                             .value_or(0);
    EXPECT_EQ(keyring::merge_into(existing, incoming).sigs, newer ? 1u : 0u);
}

TEST(MergeTest, ImportCertStatusLinesAndOutcomes) {
    const Cert c = rsa();
    auto r = keyring::import_cert(c, nullptr, {}, ctx(), now);
    EXPECT_EQ(r.outcome, ImportOutcome::New);
    ASSERT_EQ(r.status.size(), 2u);
    EXPECT_EQ(r.status[0].keyword, "IMPORTED");
    EXPECT_EQ(r.status[0].args.substr(0, 16), keyring::keyid_hex(c.key()));
    EXPECT_EQ(r.status[1], (keyring::StatusLine{"IMPORT_OK", "1 " + to_hex(c.key().fingerprint)}));

    r = keyring::import_cert(c, &c, {}, ctx(), now);
    EXPECT_EQ(r.outcome, ImportOutcome::Unchanged);
    EXPECT_FALSE(r.store);
    EXPECT_EQ(r.status.back(), (keyring::StatusLine{"IMPORT_OK", "0 " + to_hex(c.key().fingerprint)}));

    Cert partial = c;
    std::erase_if(partial.components, [](const Component& k) { return k.kind == ComponentKind::Subkey; });
    r = keyring::import_cert(c, &partial, {}, ctx(), now);
    EXPECT_EQ(r.outcome, ImportOutcome::Updated);
    EXPECT_EQ(r.import_ok, 4u | 8u);
    EXPECT_EQ(cert::write_cert(r.cert), cert::write_cert(c));

    ImportOptions merge_only;
    merge_only.merge_only = true;
    r = keyring::import_cert(c, nullptr, merge_only, ctx(), now);
    EXPECT_EQ(r.outcome, ImportOutcome::SkippedNew);
    EXPECT_TRUE(r.status.empty());
}

TEST(MergeTest, KeyblockLimitFallsBackToSelfSigsOnlyThenRefuses) {
    Cert c = rsa();
    Packet foreign = first(c, ComponentKind::UserId).tail.front();
    set_issuer(sig_of(foreign), 0x1122334455667788ull);
    spoil(sig_of(foreign));
    first(c, ComponentKind::UserId).tail.push_back(foreign);
    const std::size_t clean_size = cert::write_cert(rsa()).size();
    ImportOptions opt;
    opt.max_keyblock_bytes = clean_size + 10;
    auto r = keyring::import_cert(c, nullptr, opt, ctx(), now);
    EXPECT_TRUE(r.retried_self_sigs_only);
    EXPECT_EQ(r.outcome, ImportOutcome::New);
    EXPECT_EQ(cert::write_cert(r.cert), cert::write_cert(rsa()));
    opt.max_keyblock_bytes = 100;
    r = keyring::import_cert(c, nullptr, opt, ctx(), now);
    EXPECT_TRUE(r.too_large);
    keyring::ImportStats stats;
    stats.add(r);
    EXPECT_EQ(keyring::import_res_args(stats), "1 0 0 0 0 0 0 0 0 0 0 0 0 1 0");
}

TEST(MergeTest, FloodCapDropsThirdPartySignaturesBeyondTheCap) {
    Cert c = rsa();
    Packet base = first(c, ComponentKind::UserId).tail.front();
    for (std::uint8_t i = 1; i <= 5; ++i) {
        Packet p = base;
        set_issuer(sig_of(p), 0x1000 + i);
        spoil(sig_of(p), i);
        first(c, ComponentKind::UserId).tail.push_back(p);
    }
    ImportOptions opt;
    opt.max_sigs_per_component = 2;
    const auto p = prepare(c, opt);
    EXPECT_EQ(p.cert.components[0].tail.size(), 3u);
    ASSERT_TRUE(has_drop(p, DropReason::FloodCap));
    EXPECT_EQ(p.dropped.back().packets, 3u);
}

TEST(MergeTest, SameSignatureComparesIssuerAlgorithmAndValues) {
    Cert c = rsa();
    Signature a = sig_of(first(c, ComponentKind::UserId).tail.front());
    Signature b = a;
    EXPECT_TRUE(keyring::same_signature(a, b));
    b.fields.back().data.insert(b.fields.back().data.begin(), 0);  // a leading zero is the same value
    EXPECT_TRUE(keyring::same_signature(a, b));
    set_issuer(b, 42);
    EXPECT_FALSE(keyring::same_signature(a, b));
}

TEST(MergeTest, BareRevocationWithoutKeyOrThatDoesNotVerify) {
    Cert c = rsa();
    Packet rev = first(c, ComponentKind::UserId).tail.front();
    sig_of(rev).sig_type = static_cast<decltype(sig_of(rev).sig_type)>(packet::SigType::KeyRevocation);
    auto r = keyring::attach_revocation(nullptr, rev, ctx());
    EXPECT_EQ(r.outcome, keyring::RevocationOutcome::NoPublicKey);
    r = keyring::attach_revocation(&c, rev, ctx());
    EXPECT_EQ(r.outcome, keyring::RevocationOutcome::Invalid);
    EXPECT_TRUE(c.primary.tail.empty());
    keyring::ImportStats stats;
    stats.add(r);
    EXPECT_EQ(stats.count, 0u);
}

TEST(MergeTest, SecretKeysMergeIntoThePublicCertificate) {
    const Cert tsk = load("cert/unprotect/usage254-camellia256-iterated-sha384.pgp");
    ASSERT_TRUE(tsk.secret());
    Cert pub = cert::public_part(tsk);
    auto m = keyring::merge_secret(pub, tsk);
    EXPECT_GE(m.imported, 1u);
    EXPECT_EQ(m.dups, 0u);
    EXPECT_TRUE(pub.secret());
    m = keyring::merge_secret(pub, tsk);
    EXPECT_EQ(m.imported, 0u);
    EXPECT_GE(m.dups, 1u);

    // The fixture is a lone secret key packet: gpg's "no user ID", nothing imported.
    const auto r = keyring::import_cert(tsk, nullptr, {}, ctx(), now);
    EXPECT_EQ(r.problem, Problem::NoUserId);
    EXPECT_FALSE(r.store);
}

TEST(MergeTest, SummaryLinesAreGpgs) {
    keyring::ImportStats s;
    s.count = 3;
    s.imported = 2;
    s.unchanged = 1;
    s.n_sigs = 4;
    s.n_revoc = 1;
    const std::vector<std::string> want = {
        "gpg: Total number processed: 3", "gpg:               imported: 2", "gpg:              unchanged: 1",
        "gpg:         new signatures: 4", "gpg:    new key revocations: 1"};
    EXPECT_EQ(keyring::summary_lines(s, "gpg: "), want);
    EXPECT_EQ(keyring::import_res_args(s), "3 0 2 0 1 0 0 4 1 0 0 0 0 0 0");
}

}  // namespace
}  // namespace pgpkit
