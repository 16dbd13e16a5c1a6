// `pgpkit show-keys [FILE...]`: the keys of files as gpg --show-keys lists them (what an
// import would take in, nothing stored), and bare revocation certificates as rvs records
// checked against the store.

#include <CLI/CLI.hpp>

#include <cstdio>
#include <ctime>
#include <memory>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/error.h"
#include "base/time.h"
#include "cert/validity.h"
#include "cli/commands.h"
#include "cli/show_keys.h"
#include "cli/home.h"
#include "cli/input.h"
#include "cli/listing_render.h"
#include "cli/listing_text.h"
#include "cli/output.h"
#include "keyring/colons.h"
#include "keyring/show.h"
#include "packet/source.h"

namespace pgpkit::cli {

namespace {


/** The store of the home folder if there is one; show-keys never creates it. */
std::unique_ptr<keyring::Store> existing_store(const std::string& home) {
    const auto db = keyring::existing_store_path(home);
    return db ? std::make_unique<keyring::Store>(*db) : nullptr;
}

/** Field 15 of a shown secret key: '+' if the store holds its secret, else '#' as gpg (not in its agent). */
keyring::SecretParts secret_parts(keyring::Store* store, const cert::Cert& c) {
    keyring::SecretParts parts;
    std::vector<std::pair<Bytes, keyring::SecretLevel>> stored;
    if (store) stored = store->secret_keys(c.fingerprint());
    auto flag = [&](const packet::Key& k) {
        for (const auto& [fpr, level] : stored)
            if (fpr == k.fingerprint && level == keyring::SecretLevel::Present) return std::string("+");
        return std::string("#");
    };
    parts.parts.push_back({c.key().fingerprint, flag(c.key())});
    for (const auto& comp : c.components)
        if (const packet::Key* k = comp.key()) parts.parts.push_back({k->fingerprint, flag(*k)});
    return parts;
}

/** gpg's words for a revocation reason code. */
std::string reason_name(std::uint8_t code) {
    switch (code) {
    case 0x00: return "No reason specified";
    case 0x01: return "Key is superseded";
    case 0x02: return "Key has been compromised";
    case 0x03: return "Key is no longer used";
    case 0x20: return "User ID is no longer valid";
    default: return "Unknown reason";
    }
}

/** "reason for revocation: ..." and a "revocation comment: ..." line per line of its text. */
std::vector<std::string> reason_lines(const packet::Signature& s) {
    std::vector<std::string> out;
    const packet::Subpacket* why = s.subpacket(packet::SubpacketType::ReasonForRevocation, true);
    if (!why || why->body.empty()) return out;
    out.push_back("reason for revocation: " + reason_name(why->body[0]));
    const std::string text(why->body.begin() + 1, why->body.end());
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t nl = text.find('\n', start);
        const std::string line = text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
        if (!line.empty()) out.push_back("revocation comment: " + line);
        if (nl == std::string::npos) break;
        start = nl + 1;
    }
    return out;
}

/** Renders one shown keyblock in the form asked. */
class ShowRenderer {
public:
    ShowRenderer(Output& out, const ShowKeysOptions& opt, keyring::Store* store) : m_out(out), m_opt(opt), m_store(store) {
        m_lo.with_fingerprint = static_cast<unsigned>(opt.with_fingerprint);
        m_lo.with_keygrip = opt.with_keygrip;
        m_lo.with_sig_list = opt.with_sig_list;
        m_lo.check_sigs = opt.check_sigs;
        m_lo.with_key_data = opt.with_key_data;
        m_lo.keyring_headers = false;
        m_lo.show_only = true;
        m_lo.now = static_cast<std::uint32_t>(std::time(nullptr));
    }

    void key(keyring::ShownKey&& k) {
        cert::KeyIndex index;
        for (const auto& c : k.issuers) index.add(c);
        cert::VerifierCache cache;
        cert::CheckContext ctx;
        ctx.others = &index;
        ctx.cache = &cache;
        const cert::CertReport rep = cert::check_cert(k.cert, ctx, m_lo.now);
        keyring::IssuerNames names;
        names.add(k.cert, rep);
        for (const auto& c : k.issuers) names.add(c, cert::check_cert(c, cert::CheckContext{}, m_lo.now));
        ListingOptions lo = m_lo;
        lo.secret = k.cert.secret();
        const keyring::SecretParts parts = secret_parts(m_store, k.cert);
        const std::vector<ListedCert> one{ListedCert{&k.cert, &rep, "", lo.secret ? &parts : nullptr}};
        if (m_opt.with_colons) {
            keyring::ColonOptions co = colon_options(lo);
            co.secret_parts = one[0].secret;
            for (const auto& r : keyring::colon_records(k.cert, rep, co, names)) m_out.put(r.line()).put('\n');
        } else {
            render_listing_text(m_out, one, lo, names);
        }
    }

    void revocation(keyring::ShownRevocation&& r) {
        const auto& s = *r.signature.get<packet::Signature>();
        keyring::IssuerNames names;
        if (r.key) names.add(*r.key, cert::check_cert(*r.key, cert::CheckContext{}, m_lo.now));
        const keyring::ColonRecord rec = keyring::revocation_record(s, r.check, names);
        if (m_opt.with_colons) {
            m_out.put(rec.line()).put('\n');
            return;
        }
        std::string line = sig_line_head(s, rec.fields[1].empty() ? ' ' : rec.fields[1][0], m_lo.now);
        line.replace(0, 3, "rvs");
        m_out.put(line).put(rec.fields[1] == "?" ? "[User ID not found]" : revoked_name(names, s)).put('\n');
        for (const std::string& l : reason_lines(s)) m_out.put("      ").put(l).put('\n');
    }

private:
    static std::string revoked_name(const keyring::IssuerNames& names, const packet::Signature& s) {
        const auto id = s.issuer_keyid();
        std::uint64_t v = 0;
        if (id)
            for (auto b : *id) v = (v << 8) | b;
        const std::string* n = id ? names.find(v) : nullptr;
        return n ? *n : "[User ID not found]";
    }

    Output& m_out;
    const ShowKeysOptions& m_opt;
    keyring::Store* m_store;
    ListingOptions m_lo;
};

}  // namespace

int run_show_keys(const ShowKeysOptions& opt) {
    std::unique_ptr<keyring::Store> store = existing_store(opt.home);
    keyring::ShowOptions so;
    so.parse = opt.in.parse;
    so.import = opt.import;
    Output out(1);
    ShowRenderer render(out, opt, store.get());
    keyring::ShowEvents ev;
    ev.key = [&render](keyring::ShownKey&& k) { render.key(std::move(k)); };
    ev.revocation = [&render](keyring::ShownRevocation&& r) { render.revocation(std::move(r)); };
    std::size_t errors = 0;
    ev.error = [&](const std::string& line) {
        out.flush();
        std::fprintf(stderr, "pgpkit: error: %s\n", line.c_str());
    };
    const std::vector<std::string> files = opt.files.empty() ? std::vector<std::string>{"-"} : opt.files;
    for (const std::string& f : files) {
        packet::FdSource src(f);
        errors += keyring::show_keys(src, f == "-" ? "standard input" : f, store.get(), so, ev);
    }
    out.flush();
    return errors ? 2 : 0;
}

void register_show_keys(CLI::App& app, int& exit_code) {
    auto opt = std::make_shared<ShowKeysOptions>();
    opt->import.repair_keys = false;  // gpg's --show-keys turns repair-keys off
    auto* cmd = app.add_subcommand("show-keys", "List the keys of files as an import would take them in, "
                                                "storing nothing (gpg --show-keys)");
    cmd->add_option("files", opt->files, "Keyring, armored or keybox files; none = standard input");
    add_home_option(cmd, opt->home);
    cmd->add_flag("--with-colons", opt->with_colons, "gpg's colon records (rvs for revocation certificates)");
    cmd->add_flag("--with-fingerprint", opt->with_fingerprint, "Spaced fingerprints; twice: of subkeys too");
    cmd->add_flag("--with-keygrip", opt->with_keygrip, "Keygrips (grp records)");
    cmd->add_flag("--with-sig-list", opt->with_sig_list, "List signatures (sig/rev records)");
    cmd->add_flag("--check-sigs,--with-sig-check", opt->check_sigs, "List and check signatures (! - ? %)");
    cmd->add_flag("--with-key-data", opt->with_key_data, "Public key material (pkd records)");
    add_input_options(*cmd, opt->in);
    cmd->footer("Example: pgpkit show-keys --with-colons alice.asc revocation.asc");
    cmd->callback([opt, &exit_code] { exit_code = run_show_keys(*opt); });
}

}  // namespace pgpkit::cli
