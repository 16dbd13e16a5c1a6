#pragma once
// Reading the answers of VKS uploads (keys.openpgp.org's API, Hagrid): /vks/v1/upload and
// /vks/v1/request-verify both answer {"key_fpr": ..., "token": ..., "status": {address:
// status}}, errors {"error": ...}. The requests themselves are HkpClient's.

#include <string>
#include <string_view>

#include "keyserver/hkp_client.h"

namespace pgpkit::keyserver {

/**
 * Reads the JSON of a successful upload or request-verify answer into `out`.
 * @throws Error(Errc::BadField) for JSON that is not such an answer, saying what is wrong.
 */
void parse_vks_answer(std::string_view json, VksUpload& out);

/** The "error" text of a VKS error answer, else the body's first line (at most 200 octets). */
[[nodiscard]] std::string vks_error_text(std::string_view body);

}  // namespace pgpkit::keyserver
