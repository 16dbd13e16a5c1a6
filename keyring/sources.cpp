#include "keyring/sources.h"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <string_view>
#include <utility>

#include "base/error.h"
#include "keyring/keybox.h"
#include "packet/source.h"

namespace pgpkit::keyring {

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool key_matches(const packet::Key& k, const KeySpec& spec) {
    switch (spec.kind) {
    case SpecKind::Fingerprint: return ByteView(k.fingerprint).size() == spec.id.size() &&
                                       std::equal(spec.id.begin(), spec.id.end(), k.fingerprint.begin());
    case SpecKind::LongKeyId: return spec.id.size() == 8 && std::equal(spec.id.begin(), spec.id.end(), k.keyid.begin());
    case SpecKind::ShortKeyId:
        return spec.id.size() == 4 && std::equal(spec.id.begin(), spec.id.end(), k.keyid.begin() + 4);
    default: return false;
    }
}

bool uid_matches(std::string_view uid, const KeySpec& spec) {
    switch (spec.kind) {
    case SpecKind::Email: return email_of(uid) == spec.text;
    case SpecKind::Exact: return uid == spec.text;
    case SpecKind::Domain: {
        const std::string mail = email_of(uid);
        return !mail.empty() && domain_of(mail) == spec.text;
    }
    case SpecKind::Substring: return lower(uid).find(lower(spec.text)) != std::string::npos;
    default: return false;
    }
}

/** The error with the source's name in front of its detail, keeping its packet and tag. */
[[noreturn]] void rethrow_named(const Error& e, const std::string& path) {
    Error named(e.kind(), e.offset(), path + ": " + e.detail());
    if (e.packet_index()) named.in_packet(*e.packet_index(), e.tag());
    throw named;
}

bool wanted(const cert::Cert& c, bool has_secret, const SourceReadOptions& opt) {
    if (opt.secret_only && !has_secret) return false;
    if (opt.specs.empty()) return true;
    return std::any_of(opt.specs.begin(), opt.specs.end(), [&](const KeySpec& s) { return cert_matches(c, s); });
}

}  // namespace

const char* source_kind_name(SourceKind k) noexcept {
    switch (k) {
    case SourceKind::Store: return "store";
    case SourceKind::KeyringFile: return "keyring";
    case SourceKind::Keybox: return "keybox";
    }
    return "unknown";
}

SourceKind file_kind(const std::string& path) {
    packet::FdSource in(path);
    const auto head = in.peek_view(12);
    return head && is_keybox(*head) ? SourceKind::Keybox : SourceKind::KeyringFile;
}

bool cert_matches(const cert::Cert& c, const KeySpec& spec) {
    if (spec.kind == SpecKind::Fingerprint || spec.kind == SpecKind::LongKeyId || spec.kind == SpecKind::ShortKeyId) {
        if (key_matches(c.key(), spec)) return true;
        for (const cert::Component* s : c.of_kind(cert::ComponentKind::Subkey))
            if (s->key() && key_matches(*s->key(), spec)) return true;
        return false;
    }
    for (const cert::Component* u : c.of_kind(cert::ComponentKind::UserId)) {
        const Bytes b = u->id_bytes();
        if (uid_matches(std::string_view(reinterpret_cast<const char*>(b.data()), b.size()), spec)) return true;
    }
    return false;
}

/** An opened store (or none, when the home has no keys.db). */
struct Sources::StoreSource {
    std::unique_ptr<Store> store;
};

Sources::Sources() = default;
Sources::~Sources() = default;
Sources::Sources(Sources&&) noexcept = default;
Sources& Sources::operator=(Sources&&) noexcept = default;

void Sources::add_store(const std::string& home) {
    auto s = std::make_unique<StoreSource>();
    std::string path;
    try {
        path = Store::db_path_in(resolve_home(home, false));
    } catch (const Error& e) {
        // A home that does not exist holds nothing to list; one that is not a folder is an error.
        if (e.detail().find("no such home folder") == std::string::npos) throw;
        path = Store::db_path_in(home.empty() ? "(home)" : home);
    }
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0) s->store = std::make_unique<Store>(path);
    m_sources.push_back(CertSource{SourceKind::Store, path});
    m_stores.push_back(std::move(s));
}

void Sources::add_file(const std::string& path) {
    SourceKind kind = SourceKind::KeyringFile;
    if (path != "-") {  // standard input is told apart when it is read
        try {
            kind = file_kind(path);
        } catch (const Error& e) {
            rethrow_named(e, path);
        }
    }
    m_sources.push_back(CertSource{kind, path});
    m_stores.push_back(nullptr);
}

namespace {

/**
 * Field 15 of each key of a stored certificate with a secret keyblock, as gpg 2.2 prints
 * it after importing the same secret key: '+' for a secret part, '#' for a GNU stub. A
 * divert-to-card stub is '#' too: gpg's import does not make the agent's shadowed key (that
 * happens when the card itself is seen), so gpg lists an imported card stub as sec#.
 * `usable` says whether some key has a secret part (what gpg's secret listing requires).
 */
SecretParts secret_parts(Store& store, const Bytes& fingerprint, bool& usable) {
    SecretParts parts;
    usable = false;
    for (const auto& [fpr, level] : store.secret_keys(fingerprint)) {
        const bool present = level == SecretLevel::Present;
        usable = usable || present;
        parts.parts.push_back(SecretParts::Part{fpr, present ? "+" : "#"});
    }
    return parts;
}

}  // namespace

void Sources::load_verified(cert::VerifiedSignatures& into) {
    for (const auto& s : m_stores)
        if (s && s->store) s->store->load_verified(into);
}

bool Sources::save_verified(cert::VerifiedSignatures& from) {
    const auto fresh = from.take_fresh();
    if (fresh.empty()) return true;
    bool ok = true;
    for (const auto& s : m_stores) {
        if (!s || !s->store) continue;
        try {
            StoreWriter w(*s->store);
            w.save_verified(fresh);
            w.commit();
        } catch (const Error&) {
            ok = false;
        }
    }
    return ok;
}

void Sources::read_store(StoreSource& s, std::size_t index, const SourceReadOptions& opt,
                         const std::function<bool(SourcedCert&&)>& fn) {
    if (!s.store) return;
    Store& store = *s.store;
    auto hand_over = [&](const StoredCert& sc) {
        if (opt.secret_only && !sc.has_secret) return true;  // before the parse it saves
        std::vector<cert::Cert> certs = cert::read_all_certs(sc.keyblock, opt.read);
        if (certs.empty()) return true;
        SourcedCert out{std::move(certs.front()), index, std::nullopt, false};
        if (sc.has_secret) out.secret = secret_parts(store, sc.fingerprint, out.has_secret);
        if (opt.secret_only && !out.has_secret) return true;
        return fn(std::move(out));
    };
    try {
        if (opt.specs.empty()) {
            store.for_each(hand_over);
            return;
        }
        std::vector<StoredCert> found;
        std::set<std::string> seen;  // fingerprint octets as a string
        for (const KeySpec& spec : opt.specs)
            for (const Bytes& fpr : store.find(spec))
                if (seen.emplace(fpr.begin(), fpr.end()).second)
                    if (auto sc = store.get(fpr)) found.push_back(std::move(*sc));
        std::sort(found.begin(), found.end(), [](const StoredCert& a, const StoredCert& b) { return a.id < b.id; });
        for (const StoredCert& sc : found)
            if (!hand_over(sc)) return;
    } catch (const Error& e) {
        rethrow_named(e, m_sources[index].path);
    }
}

void Sources::for_each(const SourceReadOptions& opt, const std::function<bool(SourcedCert&&)>& fn) {
    for (std::size_t i = 0; i < m_sources.size(); ++i) {
        if (m_stores[i]) {
            read_store(*m_stores[i], i, opt, fn);
            continue;
        }
        CertSource& src = m_sources[i];
        bool go_on = true;
        auto take = [&](cert::Cert&& c) {
            if (!go_on) return;
            const bool secret = c.secret();
            if (wanted(c, secret, opt)) go_on = fn(SourcedCert{std::move(c), i, std::nullopt, secret});
        };
        try {
            packet::FdSource in(src.path);
            const auto head = in.peek_view(12);
            if (head && is_keybox(*head)) {
                src.kind = SourceKind::Keybox;
                KeyboxCertEvents ev;
                ev.cert = [&](cert::Cert&& c, const KeyboxBlob&) { take(std::move(c)); };
                ev.stray = [&](const packet::Packet& p, const std::string& why) {
                    if (opt.stray) opt.stray(src, p, why);
                };
                (void)read_keybox_certs(in, KeyboxOptions{}, opt.read, ev);
            } else {
                cert::ReadEvents ev;
                ev.cert = take;
                ev.stray = [&](const packet::Packet& p, const std::string& why) {
                    if (opt.stray) opt.stray(src, p, why);
                };
                cert::read_certs(in, opt.read, ev);
            }
        } catch (const Error& e) {
            rethrow_named(e, src.path);
        }
        if (!go_on) return;
    }
}

std::vector<cert::Cert> Sources::certs_with_keys(const std::vector<Bytes>& keyids, const cert::ReadOptions& ro) {
    std::vector<cert::Cert> out;
    if (keyids.empty()) return out;
    SourceReadOptions opt;
    opt.read = ro;
    for (const Bytes& id : keyids) opt.specs.push_back(KeySpec{SpecKind::LongKeyId, id, {}, false});
    for_each(opt, [&out](SourcedCert&& c) {
        out.push_back(std::move(c.cert));
        return true;
    });
    return out;
}

}  // namespace pgpkit::keyring
