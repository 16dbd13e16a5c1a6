// What the store engines share (store_common.h).
#include "keyserver/store_common.h"

#include <algorithm>
#include <set>
#include <string>

#include "base/error.h"

namespace pgpkit::keyserver {

namespace {

bool has_secret_packet(const cert::Cert& c) {
    if (c.secret()) return true;
    return std::any_of(c.components.begin(), c.components.end(),
                       [](const cert::Component& k) { return k.head.tag() == packet::Tag::SecretSubkey; });
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

std::vector<std::string> user_ids_of(ByteView keyblock) {
    std::vector<std::string> out;
    cert::ReadOptions ro;
    ro.raise_malformed = false;
    try {
        for (const auto& c : cert::read_all_certs(keyblock, ro))
            for (const auto* comp : c.of_kind(cert::ComponentKind::UserId)) {
                const Bytes id = comp->id_bytes();
                out.emplace_back(id.begin(), id.end());
            }
    } catch (const Error&) {
        // A stored certificate that no longer reads matches no words.
    }
    return out;
}

AddResult refuse(UploadProblem p, std::string message) {
    AddResult r;
    r.problem = p;
    r.message = std::move(message);
    return r;
}

}  // namespace

const char* add_status_name(AddStatus s) noexcept {
    switch (s) {
    case AddStatus::Inserted: return "inserted";
    case AddStatus::Updated: return "updated";
    case AddStatus::Unchanged: return "unchanged";
    case AddStatus::Rejected: return "rejected";
    }
    return "unknown";
}

std::optional<AddResult> read_upload(ByteView keytext, const UploadLimits& limits, std::vector<cert::Cert>& certs) {
    if (keytext.size() > limits.max_bytes)
        return refuse(UploadProblem::TooLarge, "the upload is larger than " + std::to_string(limits.max_bytes) +
                                                   " octets");
    cert::ReadOptions ro;
    ro.max_packets_per_cert = limits.max_packets_per_cert;
    ro.parse.limits.max_depth = 4;
    ro.parse.limits.decompression.max_output = limits.max_bytes;
    try {
        certs = cert::read_all_certs(keytext, ro);
    } catch (const Error& e) {
        const bool big = e.kind() == Errc::LimitExceeded;
        return refuse(big ? UploadProblem::TooLarge : UploadProblem::Invalid,
                      std::string("the key text does not parse: ") + e.what());
    }
    if (certs.empty()) return refuse(UploadProblem::Invalid, "the key text holds no certificate");
    if (certs.size() > limits.max_certs)
        return refuse(UploadProblem::TooLarge, "more than " + std::to_string(limits.max_certs) + " certificates");
    for (const auto& c : certs)
        if (has_secret_packet(c))
            return refuse(UploadProblem::Invalid, "secret keys are not accepted (key " + to_hex(c.fingerprint()) + ")");
    return std::nullopt;
}

bool words_match(ByteView keyblock, const Search& s, bool exact) {
    const auto uids = user_ids_of(keyblock);
    if (exact) {
        const std::string want = lower(s.text);
        return std::any_of(uids.begin(), uids.end(),
                           [&](const std::string& u) { return lower(u).find(want) != std::string::npos; });
    }
    std::set<std::string> have;
    for (const auto& u : uids)
        for (auto& w : search_words(u)) have.insert(std::move(w));
    return std::all_of(s.words.begin(), s.words.end(), [&](const std::string& w) { return have.count(w) > 0; });
}

}  // namespace pgpkit::keyserver
