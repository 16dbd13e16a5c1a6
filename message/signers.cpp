#include "message/signers.h"

#include <optional>
#include <utility>

#include "base/error.h"
#include "keyring/spec.h"
#include "message/sign.h"

namespace pgpkit::message {

std::optional<cert::Tsk> secret_key_of(keyring::Store& store, ByteView fpr) {
    const std::optional<SecretBytes> block = store.get_secret(fpr);
    if (!block) return std::nullopt;
    std::vector<cert::Cert> certs = cert::read_all_certs(ByteView(block->data(), block->size()));
    if (certs.empty()) return std::nullopt;
    return std::move(certs.front());
}

std::vector<cert::Tsk> find_signers(keyring::Store& store, const std::vector<std::string>& users, std::uint32_t now) {
    std::vector<cert::Tsk> out;
    for (const std::string& u : users) {
        std::optional<cert::Tsk> found;
        for (const Bytes& fpr : store.find(keyring::parse_key_spec(u))) {
            found = secret_key_of(store, fpr);
            if (found) break;
        }
        if (!found) throw Error(Errc::Usage, 0, "skipped \"" + u + "\": No secret key");
        out.push_back(std::move(*found));
    }
    if (!out.empty()) return out;
    store.for_each([&](const keyring::StoredCert& c) {
        if (!c.has_secret) return true;
        std::optional<cert::Tsk> t = secret_key_of(store, c.fingerprint);
        if (t && can_sign(*t, now)) {
            out.push_back(std::move(*t));
            return false;
        }
        return true;
    });
    if (out.empty()) throw Error(Errc::Usage, 0, "no default secret key: No secret key");
    return out;
}

}  // namespace pgpkit::message
