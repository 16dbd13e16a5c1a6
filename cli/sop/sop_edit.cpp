// sop change-key-password, revoke-key, update-key, merge-certs, certify-userid and
// validate-userid.

#include "base/error.h"
#include "cert/userid_binding.h"
#include "cert/validity.h"
#include "cli/sop/sop.h"
#include "crypto/rng.h"
#include "keygen/edit.h"
#include "keyring/merge.h"
#include "packet/packet.h"

namespace pgpkit::cli::sop {

namespace {

/** Runs `f`, turning a passphrase that does not open a key into KEY_IS_PROTECTED. */
template <class F>
auto unlocking(F f) -> decltype(f()) {
    try {
        return f();
    } catch (const Error& e) {
        if (e.kind() == Errc::BadPassphrase) fail(Exit::KeyIsProtected, e.detail());
        throw;
    }
}

std::vector<packet::Packet> packets_of_all(const std::vector<cert::Cert>& certs) {
    std::vector<packet::Packet> out;
    for (const cert::Cert& c : certs)
        for (const packet::Packet* p : cert::packets_of(c)) out.push_back(*p);
    return out;
}

/** Certificates, written canonically (edited packets have no recorded framing to keep). */
Bytes certs_bytes(const std::vector<cert::Cert>& certs) { return packet::write_packets_canonical(packets_of_all(certs)); }

SecretBytes keys_bytes(const std::vector<cert::Tsk>& keys) {
    return packet::write_packets_canonical_secret(packets_of_all(keys));
}

std::vector<cert::Tsk> stdin_keys() {
    std::vector<cert::Tsk> keys = parse_certs(read_stdin(), "standard input");
    for (const cert::Tsk& t : keys)
        if (!t.secret()) fail(Exit::BadData, "standard input holds a certificate, not a secret key");
    return keys;
}

void merge_matching(cert::Cert& target, const std::vector<cert::Cert>& updates) {
    for (const cert::Cert& u : updates)
        if (u.fingerprint() == target.fingerprint()) (void)keyring::merge_into(target, u);
}

void no_arguments(const Args& a, const char* cmd) {
    if (!a.positional.empty()) fail(Exit::UnsupportedOption, std::string(cmd) + " takes no arguments");
}

}  // namespace

int cmd_change_key_password(const std::vector<std::string>& args) {
    const Args a = parse_args(args, {{"no-armor"}, {"new-key-password", "old-key-password"}});
    no_arguments(a, "change-key-password");
    std::optional<SecretBytes> fresh;
    if (const auto p = a.value("new-key-password")) fresh = read_new_password(*p);
    const std::vector<SecretBytes> old = read_passwords(a.all("old-key-password"));
    crypto::Rng rng = crypto::Rng::system();
    std::vector<cert::Tsk> out;
    for (const cert::Tsk& t : stdin_keys())
        out.push_back(unlocking([&] { return keygen::change_passphrase(t, old, fresh, rng); }));
    write_stdout(maybe_armor(keys_bytes(out), a.flag("no-armor")));
    return 0;
}

int cmd_revoke_key(const std::vector<std::string>& args) {
    const Args a = parse_args(args, {{"no-armor"}, {"with-key-password"}});
    no_arguments(a, "revoke-key");
    const std::vector<SecretBytes> pw = read_passwords(a.all("with-key-password"));
    crypto::Rng rng = crypto::Rng::system();
    std::vector<cert::Cert> out;
    for (const cert::Tsk& t : stdin_keys()) {
        const keygen::KeyMaterial primary = unlocking([&] { return keygen::unlock_primary(t, pw); });
        out.push_back(keygen::revocation_certificate(t, primary, now(), rng));
    }
    write_stdout(maybe_armor(certs_bytes(out), a.flag("no-armor")));
    return 0;
}

int cmd_update_key(const std::vector<std::string>& args) {
    const Args a = parse_args(args, {{"no-armor", "signing-only", "no-added-capabilities"},
                                     {"with-key-password", "merge-certs"}});
    no_arguments(a, "update-key");
    const std::vector<cert::Cert> updates = read_all_certs(a.all("merge-certs"));
    std::vector<cert::Tsk> keys = stdin_keys();
    const std::uint32_t t = now();
    for (cert::Tsk& k : keys) {
        const cert::CertReport rep = cert::check_cert(k, cert::CheckContext{}, t);
        if (rep.primary.validity.state != cert::ValidityState::Valid)
            fail(Exit::PrimaryKeyBad, "the primary key of " + to_hex(k.fingerprint()) + " is revoked, expired or invalid");
        merge_matching(k, updates);
    }
    write_stdout(maybe_armor(keys_bytes(keys), a.flag("no-armor")));
    return 0;
}

int cmd_merge_certs(const std::vector<std::string>& args) {
    const Args a = parse_args(args, {{"no-armor"}, {}});
    const std::vector<cert::Cert> updates = read_all_certs(a.positional);
    std::vector<cert::Cert> certs = parse_certs(read_stdin(), "standard input");
    for (cert::Cert& c : certs) {
        if (c.secret()) c = cert::public_part(c);
        merge_matching(c, updates);
    }
    write_stdout(maybe_armor(certs_bytes(certs), a.flag("no-armor")));
    return 0;
}

int cmd_certify_userid(const std::vector<std::string>& args) {
    const Args a = parse_args(args, {{"no-armor", "no-require-self-sig"}, {"userid", "with-key-password"}});
    const std::vector<std::string> uids = a.all("userid");
    if (uids.empty()) fail(Exit::MissingArg, "certify-userid needs --userid");
    if (a.positional.empty()) fail(Exit::MissingArg, "certify-userid needs KEYS");
    const std::uint32_t t = now();
    const std::vector<SecretBytes> pw = read_passwords(a.all("with-key-password"));
    std::vector<keygen::KeyMaterial> signers;
    for (const cert::Tsk& k : read_all_keys(a.positional)) {
        const cert::CertReport rep = cert::check_cert(k, cert::CheckContext{}, t);
        if (rep.primary.validity.state != cert::ValidityState::Valid || !rep.primary.usage.certify)
            fail(Exit::KeyCannotCertify, "key " + to_hex(k.fingerprint()) + " cannot certify");
        signers.push_back(unlocking([&] { return keygen::unlock_primary(k, pw); }));
    }
    std::vector<cert::Cert> certs = parse_certs(read_stdin(), "standard input");
    crypto::Rng rng = crypto::Rng::system();
    for (cert::Cert& c : certs) {
        if (c.secret()) c = cert::public_part(c);
        for (const std::string& uid : uids) {
            if (!a.flag("no-require-self-sig") && !cert::user_id_certified(c, {uid, false}, {c}, t))
                fail(Exit::CertUseridNoMatch, "certificate " + to_hex(c.fingerprint()) + " has no bound user ID " + uid);
            for (const keygen::KeyMaterial& s : signers) keygen::certify_user_id(c, uid, s, t, rng);
        }
    }
    write_stdout(maybe_armor(certs_bytes(certs), a.flag("no-armor")));
    return 0;
}

int cmd_validate_userid(const std::vector<std::string>& args) {
    const Args a = parse_args(args, {{"addr-spec-only"}, {"validate-at"}});
    if (a.positional.size() < 2) fail(Exit::MissingArg, "validate-userid needs USERID and at least one CERTS");
    const cert::UserIdMatch m{a.positional[0], a.flag("addr-spec-only")};
    const std::uint32_t at = parse_date_arg(a.value("validate-at").value_or("now"), now());
    const std::vector<cert::Cert> authorities =
        read_all_certs(std::vector<std::string>(a.positional.begin() + 1, a.positional.end()));
    for (const cert::Cert& c : parse_certs(read_stdin(), "standard input"))
        if (!cert::user_id_certified(c, m, authorities, at))
            fail(Exit::CertUseridNoMatch, "certificate " + to_hex(c.fingerprint()) + ": user ID " + m.user_id +
                                              " is not certified by the given authorities");
    return 0;
}

}  // namespace pgpkit::cli::sop
