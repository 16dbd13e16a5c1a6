// sop encrypt and decrypt.

#include <variant>

#include "base/error.h"
#include "cli/sop/sop.h"
#include "crypto/rng.h"
#include "message/decrypt.h"
#include "message/decrypt_keys.h"
#include "message/encrypt.h"
#include "message/session_key.h"
#include "message/verify.h"
#include "packet/source.h"

namespace pgpkit::cli::sop {

namespace {

std::vector<message::Recipient> recipients(const std::vector<std::string>& specs, std::uint32_t t) {
    std::vector<message::Recipient> out;
    for (const cert::Cert& c : read_all_certs(specs)) {
        auto r = message::pick_recipient(c, t);
        if (auto* bad = std::get_if<message::InvalidRecipient>(&r))
            fail(Exit::CertCannotEncrypt, "certificate " + to_hex(c.fingerprint()) + " cannot encrypt: " +
                                              message::invalid_recipient_text(*bad));
        out.push_back(std::move(std::get<message::Recipient>(r)));
    }
    return out;
}

/** One way of opening the message: a session key, or a password (keys and SKESKs). */
struct Attempt {
    std::optional<message::SessionKey> session_key;
    std::optional<SecretBytes> password;
};

std::vector<Attempt> attempts(const Args& a) {
    std::vector<Attempt> out;
    for (const std::string& s : a.all("with-session-key")) {
        const Bytes text = read_indirect(s);
        std::string t(text.begin(), text.end());
        while (!t.empty() && (t.back() == '\n' || t.back() == '\r' || t.back() == ' ')) t.pop_back();
        try {
            out.push_back({message::parse_session_key_text(t), std::nullopt});
        } catch (const Error&) {
            fail(Exit::BadData, "not a session key (ALGO:HEX) in " + s);
        }
    }
    out.push_back({});
    for (const char* opt : {"with-key-password", "with-password"})
        for (SecretBytes& p : read_passwords(a.all(opt))) out.push_back({std::nullopt, std::move(p)});
    return out;
}

struct Decrypted {
    message::DecryptResult result;
    message::VerifyResult verified;
    Bytes plaintext;
};

Decrypted try_decrypt(ByteView ciphertext, const Attempt& at, message::SecretKeySource& keys,
                      const std::vector<cert::Cert>& verify_certs, bool want_session_key) {
    Decrypted d;
    message::DecryptOptions o;
    o.keys = &keys;
    o.passphrase = at.password;
    o.override_key = at.session_key;
    o.show_session_key = want_session_key;
    message::VerifyOptions vo;
    vo.keys = message::lookup_in(verify_certs);
    vo.now = now();
    vo.require_signature = false;
    o.inner = [&](packet::Source& packets, message::ByteSink& sink) {
        vo.output = [&sink](ByteView b) { sink.write(b); };
        d.verified = message::verify_packets(packets, vo);
    };
    packet::MemorySource in(ciphertext);
    message::BufferSink out(d.plaintext);
    d.result = message::decrypt(in, out, o);
    return d;
}

}  // namespace

int cmd_encrypt(const std::vector<std::string>& args) {
    const Args a = parse_args(args, {{"no-armor"},
                                     {"as", "with-password", "sign-with", "with-key-password", "profile",
                                      "session-key-out"}});
    const std::string as = a.value("as").value_or("binary");
    if (as != "binary" && as != "text") fail(Exit::UnsupportedOption, "unsupported --as=" + as);
    const std::string profile = resolve_profile(a.value("profile").value_or("default"), "rfc4880");
    if (profile != "rfc4880" && profile != "rfc9580") fail(Exit::UnsupportedProfile, "unknown profile " + profile);
    if (a.positional.empty() && a.all("with-password").empty())
        fail(Exit::MissingArg, "encrypt needs CERTS or --with-password");
    const auto sk_out = a.value("session-key-out");
    if (sk_out) check_output(*sk_out);
    const std::uint32_t t = now();
    message::EncryptOptions eo;
    eo.recipients = recipients(a.positional, t);
    for (const std::string& p : a.all("with-password")) eo.more_passphrases.push_back(read_new_password(p));
    if (!eo.more_passphrases.empty()) {
        eo.passphrase = std::move(eo.more_passphrases.front());
        eo.more_passphrases.erase(eo.more_passphrases.begin());
    }
    if (profile == "rfc4880") eo.aead = false;
    else if (eo.recipients.empty()) eo.aead = true;
    std::vector<message::SigningKey> signers;
    if (const std::vector<std::string> with = a.all("sign-with"); !with.empty())
        signers = signing_keys(read_all_keys(with), read_passwords(a.all("with-key-password")), t);
    eo.signers = &signers;
    eo.armor = !a.flag("no-armor");
    eo.format = as == "text" ? 'u' : 'b';
    eo.date = t;
    const Bytes data = read_stdin();
    if (as == "text" && !is_utf8(data)) fail(Exit::ExpectedText, "the input is not UTF-8 text");
    packet::MemorySource in(data);
    Bytes out;
    message::BufferSink sink(out);
    crypto::Rng rng = crypto::Rng::system();
    const message::EncryptResult r = message::encrypt(in, sink, eo, rng);
    if (sk_out) write_indirect(*sk_out, as_bytes(message::session_key_text(r.session_key) + "\n"));
    write_stdout(out);
    return 0;
}

int cmd_decrypt(const std::vector<std::string>& args) {
    const Args a = parse_args(args, {{},
                                     {"session-key-out", "with-session-key", "with-password", "with-key-password",
                                      "verifications-out", "verify-out", "verify-with", "verify-not-before",
                                      "verify-not-after"}});
    auto vout = a.value("verifications-out");
    if (!vout) vout = a.value("verify-out");
    const std::vector<std::string> verify_with = a.all("verify-with");
    if (vout && verify_with.empty()) fail(Exit::IncompleteVerification, "--verifications-out needs --verify-with");
    if (a.positional.empty() && a.all("with-password").empty() && a.all("with-session-key").empty())
        fail(Exit::MissingArg, "decrypt needs KEYS, --with-password or --with-session-key");
    const auto sk_out = a.value("session-key-out");
    if (sk_out) check_output(*sk_out);
    if (vout) check_output(*vout);
    const TimeWindow w = window_of(a, "verify-not-before", "verify-not-after");
    message::MemorySecretKeys keys(read_all_keys(a.positional));
    const std::vector<cert::Cert> verify_certs = read_all_certs(verify_with);
    const std::vector<Attempt> tries = attempts(a);
    const Bytes ciphertext = read_stdin();
    for (const Attempt& at : tries) {
        Decrypted d = try_decrypt(ciphertext, at, keys, verify_certs, sk_out.has_value());
        using F = message::DecryptFailure;
        if (d.result.failure == F::NoSessionKey || d.result.failure == F::BadSessionKey) continue;
        if (!d.result.ok()) fail(Exit::CannotDecrypt, d.result.detail);
        const std::string lines = verification_lines(d.verified, w);
        if (sk_out) write_indirect(*sk_out, as_bytes(message::session_key_text(*d.result.session_key) + "\n"));
        if (vout) write_indirect(*vout, as_bytes(lines));
        write_stdout(d.plaintext);
        return 0;
    }
    fail(Exit::CannotDecrypt, "no key, password or session key given opens the message");
}

}  // namespace pgpkit::cli::sop
