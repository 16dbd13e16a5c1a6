#pragma once
// Signature-type and component-kind predicates shared by import preparation (clean.cpp)
// and merging (merge.cpp).

#include "cert/cert.h"
#include "packet/names.h"
#include "packet/signature.h"

namespace pgpkit::keyring::internal {

/** Subkey bindings and subkey revocations. */
inline bool is_subkey_class(packet::SigType t) noexcept {
    return t == packet::SigType::SubkeyBinding || t == packet::SigType::SubkeyRevocation;
}

/** User IDs and user attributes: the components certifications are made on. */
inline bool is_user(cert::ComponentKind k) noexcept {
    return k == cert::ComponentKind::UserId || k == cert::ComponentKind::UserAttribute;
}

}  // namespace pgpkit::keyring::internal
