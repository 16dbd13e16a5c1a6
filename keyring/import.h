#pragma once
// Importing keyring streams into the key store, as gpg --import does: certificates,
// transferable secret keys and bare revocation certificates, merged (keyring/merge.h)
// and written in transactions, with gpg's status lines, log lines and summary.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "cert/verify.h"
#include "keyring/import_stats.h"
#include "keyring/merge.h"
#include "keyring/store.h"
#include "packet/source.h"

namespace pgpkit::keyring {

struct ImportRunOptions {
    ImportOptions import;
    cert::Policy policy;
    std::uint32_t now = 0;             ///< the time validity is judged at; 0: the clock
    packet::ParseOptions parse;        ///< limits of the packet parser
    std::size_t max_packets_per_cert = 1u << 20;
    /**
     * Keyblocks per transaction. Events of a keyblock are handed over only once its
     * transaction is committed, so an IMPORT_OK always names a key that is on disk.
     */
    std::size_t batch_certs = 256;
    /** A transaction is also committed once it has been open this long. */
    std::uint32_t batch_millis = 250;
    /**
     * Threads that verify the self-signatures of the next keyblocks ahead of their
     * merge, which runs one keyblock at a time in input order; 0: one per core.
     */
    unsigned jobs = 0;
};

/** Where an import run is, for a progress indication. */
struct ImportProgress {
    std::string input;             ///< the input's name
    std::uint64_t offset = 0;      ///< bytes of the input read so far
    std::uint64_t keyblocks = 0;   ///< keyblocks processed in this run
};

struct ImportEvents {
    StatusSink status;
    /** gpg's log lines, without "gpg: " ("key 0123...: public key \"A\" imported"). */
    std::function<void(const std::string&)> log;
    /** One line per problem (malformed certificate, read error, rejected revocation). */
    std::function<void(const std::string&)> error;
    /** After every keyblock. */
    std::function<void(const ImportProgress&)> progress;
};

/**
 * One import run over any number of inputs (gpg --import FILE...): read() each input,
 * then finish(). Nothing is printed; everything is reported through ImportEvents.
 * Keyblocks are committed in batches; a run that is killed keeps every committed batch.
 */
class Importer {
public:
    Importer(Store& store, ImportRunOptions opt, ImportEvents events);
    ~Importer();
    Importer(const Importer&) = delete;
    Importer& operator=(const Importer&) = delete;

    /**
     * Imports every keyblock of `input` (binary or armored). A malformed certificate is
     * skipped with an error event naming its offset and IMPORT_PROBLEM 1; a read error
     * stops this input (what was read before it is imported) and is reported likewise.
     * Store errors are thrown (Error): the open batch is rolled back.
     */
    void read(packet::Source& input, const std::string& name);
    /** Commits, writes IMPORT_RES and returns the counters. */
    const ImportStats& finish();

    /** Problems reported so far (malformed input, rejected revocations): gpg exits 2. */
    std::size_t errors() const noexcept;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace pgpkit::keyring
