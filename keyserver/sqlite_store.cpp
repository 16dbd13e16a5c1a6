// The SQLite engine of the keyserver store (sqlite_store.h).
#include "keyserver/sqlite_store.h"

#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <ctime>
#include <mutex>
#include <set>

#include "base/error.h"
#include "cert/cert.h"
#include "keyring/import.h"
#include "keyring/spec.h"
#include "keyring/store.h"
#include "keyserver/store_common.h"
#include "packet/source.h"

namespace pgpkit::keyserver {

namespace {

keyring::KeySpec spec_of(const Search& s) {
    keyring::KeySpec spec;
    switch (s.kind) {
    case SearchKind::KeyId:
        spec.kind = s.id.size() == 4 ? keyring::SpecKind::ShortKeyId : keyring::SpecKind::LongKeyId;
        spec.id = s.id;
        break;
    case SearchKind::Fingerprint:
        spec.kind = keyring::SpecKind::Fingerprint;
        spec.id = s.id;
        break;
    case SearchKind::Email:
        spec.kind = keyring::SpecKind::Email;
        spec.text = s.text;
        break;
    case SearchKind::Words: {
        // The longest word narrows the scan; words_match checks them all.
        const auto it = std::max_element(s.words.begin(), s.words.end(),
                                         [](const auto& a, const auto& b) { return a.size() < b.size(); });
        spec.kind = keyring::SpecKind::Substring;
        spec.text = it == s.words.end() ? s.text : *it;
        break;
    }
    }
    return spec;
}

std::int64_t mtime_of(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return 0;
    return static_cast<std::int64_t>(st.st_mtime);
}

}  // namespace

struct SqliteStore::Impl {
    std::string path;
    UploadLimits limits;
    std::mutex pool_mutex;
    std::vector<std::unique_ptr<keyring::Store>> pool;
    std::mutex write_mutex;  ///< one writer of this process at a time (SQLite orders processes)
    std::atomic<std::int64_t> last_update{0};

    /** A Store of the pool for the time of one call (keyring::Store is one per thread). */
    class Lease {
    public:
        explicit Lease(Impl& impl) : m_impl(impl) {
            std::lock_guard lock(impl.pool_mutex);
            if (!impl.pool.empty()) {
                m_store = std::move(impl.pool.back());
                impl.pool.pop_back();
            }
            if (!m_store) m_store = std::make_unique<keyring::Store>(impl.path);
        }
        ~Lease() {
            std::lock_guard lock(m_impl.pool_mutex);
            m_impl.pool.push_back(std::move(m_store));
        }
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        keyring::Store& operator*() { return *m_store; }
        keyring::Store* operator->() { return m_store.get(); }

    private:
        Impl& m_impl;
        std::unique_ptr<keyring::Store> m_store;
    };

    void import(const std::vector<cert::Cert>& certs, AddResult& out);
};

SqliteStore::SqliteStore(const std::string& db_path, UploadLimits limits) : m_impl(std::make_unique<Impl>()) {
    m_impl->path = db_path;
    m_impl->limits = limits;
    Impl::Lease first(*m_impl);  // creates the store, or reports a bad file, now
}

SqliteStore::~SqliteStore() = default;

std::vector<FoundCert> SqliteStore::lookup(const Search& search, const LookupOptions& opt) {
    Impl::Lease store(*m_impl);
    std::vector<FoundCert> out;
    for (const auto& fpr : store->find(spec_of(search))) {
        if (out.size() >= opt.max_results) break;
        auto sc = store->get(fpr);
        if (!sc) continue;
        if (search.kind == SearchKind::Words && !words_match(sc->keyblock, search, opt.exact)) continue;
        out.push_back(FoundCert{std::move(sc->fingerprint), std::move(sc->keyblock)});
    }
    return out;
}

void SqliteStore::Impl::import(const std::vector<cert::Cert>& certs, AddResult& out) {
    keyring::ImportRunOptions opt;
    opt.import.max_sigs_per_component = limits.max_sigs_per_component;
    opt.import.max_keyblock_bytes = limits.max_keyblock_bytes;
    opt.max_packets_per_cert = limits.max_packets_per_cert;
    std::vector<std::pair<std::string, unsigned>> oks;  // IMPORT_OK: fingerprint, reason
    std::vector<std::string> lines;
    keyring::ImportEvents ev;
    ev.status = [&](const StatusEvent& e) {
        if (e.keyword != "IMPORT_OK") return;
        std::string line;  // "REASON FINGERPRINT", in one argument or two
        for (const auto& a : e.args) line += (line.empty() ? "" : " ") + a;
        const auto sp = line.find(' ');
        if (sp == std::string::npos || sp == 0) return;
        unsigned reason = 0;
        for (char c : line.substr(0, sp)) reason = reason * 10 + static_cast<unsigned>(c - '0');
        oks.emplace_back(line.substr(sp + 1), reason);
    };
    ev.log = [&](const std::string& l) { lines.push_back(l); };
    ev.error = [&](const std::string& l) { lines.push_back(l); };
    Bytes stream;
    for (const auto& c : certs) {
        const Bytes b = cert::write_cert(c);
        stream.insert(stream.end(), b.begin(), b.end());
    }
    {
        std::lock_guard lock(write_mutex);
        Lease store(*this);
        keyring::Importer importer(*store, opt, std::move(ev));
        packet::MemorySource src(stream);
        importer.read(src, "upload");
        (void)importer.finish();
    }
    bool changed = false;
    for (const auto& c : certs) {
        AddCertResult r;
        r.fingerprint = c.fingerprint();
        const std::string fpr = to_hex(c.fingerprint());
        const auto it = std::find_if(oks.begin(), oks.end(), [&](const auto& ok) { return ok.first == fpr; });
        if (it != oks.end()) {
            r.status = it->second == 0 ? AddStatus::Unchanged
                                       : (it->second & 1) ? AddStatus::Inserted : AddStatus::Updated;
            changed = changed || it->second != 0;
            oks.erase(it);
        } else {
            const std::string keyid = keyring::keyid_hex(c.key());
            for (const auto& l : lines)
                if (l.find(keyid) != std::string::npos) r.reason += (r.reason.empty() ? "" : "; ") + l;
            if (r.reason.empty()) r.reason = "not a valid certificate";
        }
        out.certs.push_back(std::move(r));
    }
    if (changed) last_update = static_cast<std::int64_t>(std::time(nullptr));
}

AddResult SqliteStore::add(ByteView keytext) {
    std::vector<cert::Cert> certs;
    if (auto refused = read_upload(keytext, m_impl->limits, certs)) return std::move(*refused);
    AddResult out;
    m_impl->import(certs, out);
    return out;
}

bool SqliteStore::erase(ByteView fingerprint) {
    std::lock_guard lock(m_impl->write_mutex);
    Impl::Lease store(*m_impl);
    keyring::StoreWriter w(*store);
    const bool found = w.erase(fingerprint);
    w.commit();
    if (found) m_impl->last_update = static_cast<std::int64_t>(std::time(nullptr));
    return found;
}

StoreStats SqliteStore::stats() {
    StoreStats s;
    {
        Impl::Lease store(*m_impl);
        s.certs = store->count();
    }
    s.last_update = std::max({m_impl->last_update.load(), mtime_of(m_impl->path), mtime_of(m_impl->path + "-wal")});
    return s;
}

}  // namespace pgpkit::keyserver
