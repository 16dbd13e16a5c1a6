// sop sign, verify, inline-sign, inline-verify, inline-detach.

#include <algorithm>
#include <cctype>

#include "armor/armor.h"
#include "armor/cleartext.h"
#include "base/error.h"
#include "cli/sop/sop.h"
#include "crypto/rng.h"
#include "message/reader.h"
#include "message/sign.h"
#include "message/verify.h"
#include "packet/byte_writer.h"
#include "packet/header.h"
#include "packet/names.h"
#include "packet/source.h"

namespace pgpkit::cli::sop {

namespace {

enum class As : std::uint8_t { Binary, Text, Clearsigned };

As parse_as(const Args& a, bool clearsigned_ok) {
    const std::string v = a.value("as").value_or("binary");
    if (v == "binary") return As::Binary;
    if (v == "text") return As::Text;
    if (v == "clearsigned" && clearsigned_ok) return As::Clearsigned;
    fail(Exit::UnsupportedOption, "unsupported --as=" + v);
}

/** Signs stdin with the KEYS arguments; the output as message::sign writes it. */
Bytes sign_stdin(const Args& a, message::SignMode mode, bool text, bool armor,
                 std::vector<message::SigningKey>* used = nullptr) {
    if (a.positional.empty()) fail(Exit::MissingArg, "no KEYS given");
    const std::uint32_t t = now();
    const std::vector<cert::Tsk> keys = read_all_keys(a.positional);
    std::vector<message::SigningKey> signers = signing_keys(keys, read_passwords(a.all("with-key-password")), t);
    const Bytes data = read_stdin();
    if (text && !is_utf8(data)) fail(Exit::ExpectedText, "the input is not UTF-8 text");
    message::SignOptions so;
    so.mode = mode;
    so.armor = armor;
    so.text = text;
    so.now = t;
    so.literal_date = t;
    packet::MemorySource in(data);
    crypto::Rng rng = crypto::Rng::system();
    Bytes out;
    message::sign(in, signers, so, rng, [&out](ByteView b) { out.insert(out.end(), b.begin(), b.end()); });
    if (used) *used = std::move(signers);
    return out;
}

/** "pgp-sha256": the hash of every signer, or empty when they differ (RFC 3156 section 5). */
std::string micalg(const std::vector<message::SigningKey>& keys) {
    for (const message::SigningKey& k : keys)
        if (k.hash != keys.front().hash) return {};
    std::string name = packet::hash_algo_name(keys.front().hash);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return "pgp-" + name;
}

message::VerifyOptions verify_options(const std::vector<cert::Cert>& certs) {
    message::VerifyOptions vo;
    vo.keys = message::lookup_in(certs);
    vo.now = now();
    vo.require_signature = false;
    return vo;
}

Bytes signature_packet(const packet::Signature& s) {
    Bytes body;
    packet::ByteWriter w(body);
    packet::write_signature(s, w);
    Bytes out;
    packet::write_canonical_header(packet::Tag::Signature, body.size(), out);
    out.insert(out.end(), body.begin(), body.end());
    return out;
}

}  // namespace

int cmd_sign(const std::vector<std::string>& args) {
    const Args a = parse_args(args, {{"no-armor"}, {"as", "micalg-out", "with-key-password"}});
    const bool text = parse_as(a, false) == As::Text;
    if (const auto m = a.value("micalg-out")) check_output(*m);
    std::vector<message::SigningKey> used;
    const Bytes sig = sign_stdin(a, message::SignMode::Detached, text, !a.flag("no-armor"), &used);
    if (const auto m = a.value("micalg-out")) write_indirect(*m, as_bytes(micalg(used)));
    write_stdout(sig);
    return 0;
}

int cmd_verify(const std::vector<std::string>& args) {
    const Args a = parse_args(args, {{}, {"not-before", "not-after"}});
    if (a.positional.size() < 2) fail(Exit::MissingArg, "verify needs SIGNATURES and at least one CERTS");
    const TimeWindow w = window_of(a, "not-before", "not-after");
    const Bytes sigs = read_indirect(a.positional[0]);
    const std::vector<cert::Cert> certs =
        read_all_certs(std::vector<std::string>(a.positional.begin() + 1, a.positional.end()));
    const Bytes data = read_stdin();
    packet::MemorySource sig_src(sigs), data_src(data);
    const message::VerifyResult r = message::verify_detached(sig_src, data_src, verify_options(certs));
    const std::string lines = verification_lines(r, w);
    if (lines.empty()) fail(Exit::NoSignature, "no good signature by the given certificates");
    write_stdout(lines);
    return 0;
}

int cmd_inline_sign(const std::vector<std::string>& args) {
    const Args a = parse_args(args, {{"no-armor"}, {"as", "with-key-password"}});
    const As as = parse_as(a, true);
    if (as == As::Clearsigned && a.flag("no-armor"))
        fail(Exit::IncompatibleOptions, "--as=clearsigned and --no-armor exclude each other");
    const message::SignMode mode = as == As::Clearsigned ? message::SignMode::Cleartext : message::SignMode::Inline;
    write_stdout(sign_stdin(a, mode, as != As::Binary, !a.flag("no-armor")));
    return 0;
}

int cmd_inline_verify(const std::vector<std::string>& args) {
    const Args a = parse_args(args, {{}, {"not-before", "not-after", "verifications-out"}});
    if (a.positional.empty()) fail(Exit::MissingArg, "inline-verify needs at least one CERTS");
    const TimeWindow w = window_of(a, "not-before", "not-after");
    const auto vout = a.value("verifications-out");
    if (vout) check_output(*vout);
    const std::vector<cert::Cert> certs = read_all_certs(a.positional);
    const Bytes msg = read_stdin();
    Bytes data;
    message::VerifyOptions vo = verify_options(certs);
    vo.output = [&data](ByteView b) { data.insert(data.end(), b.begin(), b.end()); };
    packet::MemorySource src(msg);
    const message::VerifyResult r = message::verify_message(src, vo);
    const std::string lines = verification_lines(r, w);
    if (lines.empty()) fail(Exit::NoSignature, "no good signature by the given certificates");
    if (vout) write_indirect(*vout, as_bytes(lines));
    write_stdout(data);
    return 0;
}

int cmd_inline_detach(const std::vector<std::string>& args) {
    const Args a = parse_args(args, {{"no-armor"}, {"signatures-out"}});
    const auto sig_out = a.value("signatures-out");
    if (!sig_out) fail(Exit::MissingArg, "inline-detach needs --signatures-out");
    if (!a.positional.empty()) fail(Exit::UnsupportedOption, "inline-detach takes no arguments");
    check_output(*sig_out);
    const Bytes msg = read_stdin();
    Bytes data, sigs;
    const message::InputForm form = message::detect_form(msg);
    if (form == message::InputForm::Cleartext) {
        // The text as the signatures cover it (trailing whitespace of each line is not
        // signed), so the detached signatures verify over it with any implementation.
        const armor::CleartextMessage cm = armor::parse_cleartext(msg);
        for (std::uint8_t c : armor::signed_data(cm.text))
            if (c != '\r') data.push_back(c);
        sigs = cm.signature;
    } else {
        packet::MemorySource raw(msg);
        std::optional<armor::DearmorSource> dearmored;
        if (form == message::InputForm::Armored) dearmored.emplace(raw);
        packet::Source& src = dearmored ? static_cast<packet::Source&>(*dearmored) : raw;
        message::MessageEvents ev;
        ev.signature = [&sigs](packet::Signature&& s, std::size_t) {
            const Bytes p = signature_packet(s);
            sigs.insert(sigs.end(), p.begin(), p.end());
        };
        ev.literal_data = [&data](ByteView b) { data.insert(data.end(), b.begin(), b.end()); };
        message::walk_message(src, packet::Limits{}, ev);
    }
    if (sigs.empty()) fail(Exit::BadData, "the message holds no signatures");
    write_indirect(*sig_out, maybe_armor(sigs, a.flag("no-armor")));
    write_stdout(data);
    return 0;
}

}  // namespace pgpkit::cli::sop
