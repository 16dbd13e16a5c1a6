#pragma once
// GnuPG's pipemode (doc/DETAILS of GnuPG 1.x, "Pipemode"): many detached signatures
// verified over one input stream, with control sequences embedded in the data: "@<"
// begins a stream, "@B" a detached signature, "@t" the signed text, "@." ends an
// operation and verifies it, "@>" ends the stream, "@@" is a literal '@'.

#include <cstdint>
#include <functional>

#include "base/error.h"
#include "message/verify.h"
#include "packet/source.h"

namespace pgpkit::message {

struct PipemodeResult {
    std::size_t operations = 0;       ///< operations that were verified
    std::size_t all_good = 0;         ///< of those, the ones whose signatures were all good
    std::size_t errors = 0;           ///< protocol errors and operations that did not parse
};

struct PipemodeHandlers {
    /** After each verified operation (its status lines went to opt.status already). */
    std::function<void(const VerifyResult&)> result;
    /**
     * A protocol error (its offset is the byte of the input it was found at) or an
     * operation whose signature did not parse; the reader goes on at the next "@<".
     */
    std::function<void(const Error&)> error;
};

/**
 * Runs pipemode over `input`: BEGIN_STREAM and END_STREAM through opt.status, and the
 * verification lines of each operation. The signed text of an operation is streamed to
 * the hashers; its signature is buffered (at most 16 times opt.limits.max_packet_size).
 * Never throws for bad input (errors go to handlers.error); throws what `input` throws.
 */
PipemodeResult run_pipemode(packet::Source& input, const VerifyOptions& opt, const PipemodeHandlers& handlers);

}  // namespace pgpkit::message
