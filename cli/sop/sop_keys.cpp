// sop generate-key, extract-cert, armor and dearmor.

#include "armor/armor.h"
#include "base/error.h"
#include "cli/sop/sop.h"
#include "crypto/rng.h"
#include "keygen/generate.h"
#include "keygen/params.h"

namespace pgpkit::cli::sop {

namespace {

using keygen::Algo;
using crypto::Curve;

keygen::SubkeySpec subkey(Algo algo, unsigned bits, std::optional<Curve> curve, keygen::Usage usage) {
    keygen::SubkeySpec s;
    s.algo = algo;
    s.length = bits;
    s.curve = curve;
    s.usage = usage;
    return s;
}

/**
 * The key of a profile: a certification-only primary key, a signing subkey and (unless
 * signing only) an encryption subkey; RSA keys certify and sign with one primary key.
 */
keygen::KeyBlock block_for(const std::string& profile, bool signing_only) {
    keygen::KeyBlock b;
    b.file = "generate-key";
    b.prefs = keygen::default_preferences();
    const keygen::Usage certify{false, false, false, true}, sign{true, false, false, false},
        encrypt{false, true, false, false};
    if (profile == "draft-koch-eddsa-for-openpgp-00" || profile == "rfc9580") {
        b.version = profile == "rfc9580" ? 6 : 4;
        b.algo = Algo::EdDsa;
        b.curve = Curve::Ed25519;
        b.usage = certify;
        b.subkeys.push_back(subkey(Algo::EdDsa, 0, Curve::Ed25519, sign));
        if (!signing_only) b.subkeys.push_back(subkey(Algo::Ecdh, 0, Curve::Cv25519, encrypt));
    } else if (profile == "rfc6637") {
        b.algo = Algo::Ecdsa;
        b.curve = Curve::NistP256;
        b.usage = certify;
        b.subkeys.push_back(subkey(Algo::Ecdsa, 0, Curve::NistP256, sign));
        if (!signing_only) b.subkeys.push_back(subkey(Algo::Ecdh, 0, Curve::NistP256, encrypt));
    } else if (profile == "rfc4880") {
        b.algo = Algo::Rsa;
        b.length = 3072;
        b.usage = keygen::Usage{true, false, false, true};
        if (!signing_only) b.subkeys.push_back(subkey(Algo::Rsa, 3072, std::nullopt, encrypt));
    } else {
        fail(Exit::UnsupportedProfile, "unknown generate-key profile " + profile);
    }
    return b;
}

}  // namespace

int cmd_generate_key(const std::vector<std::string>& args) {
    const Args a = parse_args(args, {{"no-armor", "signing-only"}, {"with-key-password", "profile"}});
    const std::string profile =
        resolve_profile(a.value("profile").value_or("default"), "draft-koch-eddsa-for-openpgp-00");
    keygen::KeyBlock b = block_for(profile, a.flag("signing-only"));
    for (const std::string& uid : a.positional)
        if (!is_utf8(as_bytes(uid))) fail(Exit::BadData, "user ID is not UTF-8: " + uid);
    if (!a.positional.empty()) {
        b.user_id = a.positional.front();
        b.more_user_ids.assign(a.positional.begin() + 1, a.positional.end());
    }
    b.allow_no_user_id = true;
    if (const auto p = a.value("with-key-password")) b.passphrase = read_new_password(*p);
    b.no_protection = !b.passphrase || b.passphrase->empty();
    keygen::GenerateOptions go;
    go.now = now();
    crypto::Rng rng = crypto::Rng::system();
    const keygen::GeneratedKey k = keygen::generate_key(b, rng, nullptr, go);
    write_stdout(maybe_armor(k.secret_key, a.flag("no-armor")));
    return 0;
}

int cmd_extract_cert(const std::vector<std::string>& args) {
    const Args a = parse_args(args, {{"no-armor"}, {}});
    if (!a.positional.empty()) fail(Exit::UnsupportedOption, "extract-cert takes no arguments");
    Bytes out;
    for (const cert::Tsk& t : parse_certs(read_stdin(), "standard input")) {
        if (!t.secret()) fail(Exit::BadData, "standard input holds a certificate, not a secret key");
        const Bytes c = cert::write_cert(cert::public_part(t));
        out.insert(out.end(), c.begin(), c.end());
    }
    write_stdout(maybe_armor(out, a.flag("no-armor")));
    return 0;
}

int cmd_armor(const std::vector<std::string>& args) {
    const Args a = parse_args(args, {{}, {}});
    if (!a.positional.empty()) fail(Exit::UnsupportedOption, "armor takes no arguments");
    const Bytes in = read_stdin();
    // Armoring armored input changes nothing (the draft asks armor to be idempotent).
    if (armor::looks_armored(in)) return write_stdout(in), 0;
    write_stdout(maybe_armor(in, false));
    return 0;
}

int cmd_dearmor(const std::vector<std::string>& args) {
    const Args a = parse_args(args, {{}, {}});
    if (!a.positional.empty()) fail(Exit::UnsupportedOption, "dearmor takes no arguments");
    const Bytes in = read_stdin();
    if (!in.empty() && (in[0] & 0x80)) return write_stdout(in), 0;
    Bytes out;
    try {
        for (const armor::Block& blk : armor::decode_all(in)) out.insert(out.end(), blk.data.begin(), blk.data.end());
    } catch (const Error& e) {
        fail(Exit::BadData, e.what());
    }
    write_stdout(out);
    return 0;
}

}  // namespace pgpkit::cli::sop
