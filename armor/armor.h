#pragma once
// ASCII armor, RFC 9580 section 6 (and RFC 4880 section 6): decoding as a stream,
// encoding, labels and detection.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "armor/crc24.h"
#include "base/bytes.h"
#include "base/secret.h"
#include "packet/source.h"

namespace pgpkit::armor {

/** One "Key: Value" armor header line (RFC 9580 section 6.2.2), kept in input order. */
struct ArmorHeader {
    std::string key;
    std::string value;
    bool operator==(const ArmorHeader&) const = default;
};

/** The kinds of armor block (RFC 9580 section 6.2.1). */
enum class LabelKind : std::uint8_t {
    Message,          ///< "MESSAGE"
    PublicKeyBlock,   ///< "PUBLIC KEY BLOCK"
    PrivateKeyBlock,  ///< "PRIVATE KEY BLOCK" (also PGP 2's "SECRET KEY BLOCK")
    Signature,        ///< "SIGNATURE"
    MessagePart,      ///< "MESSAGE, PART X/Y" or "MESSAGE, PART X"
    ArmoredFile,      ///< "ARMORED FILE", written by gpg --enarmor
    SignedMessage,    ///< "SIGNED MESSAGE": the cleartext framework, see cleartext.h
    Unknown,          ///< any other label; decoded all the same
};

/** A parsed block label. part/total are set for MessagePart (total 0 when absent). */
struct Label {
    LabelKind kind = LabelKind::Unknown;
    std::uint32_t part = 0;
    std::uint32_t total = 0;
    bool operator==(const Label&) const = default;
};

/** Classifies the text between "-----BEGIN PGP " and "-----". Never throws. */
[[nodiscard]] Label parse_label(std::string_view label) noexcept;

/**
 * The label a binary OpenPGP object is armored with, from its first packet's tag:
 * PUBLIC KEY BLOCK (tag 6), PRIVATE KEY BLOCK (5), SIGNATURE (2), MESSAGE otherwise;
 * "ARMORED FILE" when the first byte is not a packet header (bit 7 clear) or data is empty.
 */
[[nodiscard]] std::string label_for(ByteView data);

/**
 * True if the first bytes look like an armored block: a line starting "-----BEGIN PGP "
 * after any leading whitespace or junk lines within `head`. Binary OpenPGP (first byte
 * has bit 7 set) is false.
 */
[[nodiscard]] bool looks_armored(ByteView head) noexcept;

/** Resource limits of the armor reader (HOUSE-STYLE rule 17). */
struct DearmorOptions {
    /** Longest armor header line, begin/end or checksum line. Body lines are unbounded. */
    std::size_t max_header_line = 64 * 1024;
    /** Most header lines in one block. */
    std::size_t max_headers = 1024;
    /**
     * Check the CRC-24 line when present (the default, as gpg does). RFC 9580 section 6.1
     * lets readers ignore it; rpgp and rnp do.
     */
    bool verify_checksum = true;
    /** Size of the input buffer (at least 16); memory use is constant at about this. */
    std::size_t buffer_size = 256 * 1024;
};

/**
 * Streaming dearmor (RFC 9580 section 6): a packet::Source producing the decoded bytes
 * of successive armored blocks, in constant memory.
 *
 * Semantics:
 * - The constructor skips junk up to the first "-----BEGIN PGP <label>-----" line and
 *   reads that block's armor headers; label() and headers() describe it. A cleartext
 *   "SIGNED MESSAGE" header is skipped as junk (its signature block is a block).
 * - read() returns decoded bytes of the current block and 0 at its end. The end is
 *   reported only after the end line was seen and the CRC-24 (if present; RFC 9580 makes
 *   it optional) matched, so a 0 means the block was complete and intact.
 * - next_block() finishes the current block (decoding and checking what read() did not
 *   consume), skips junk and moves to the next block; false if the input has none.
 * - offset() counts decoded bytes of the current block (it restarts at 0 per block).
 *
 * Body lines may have any length (64 is RFC 9580's, 76 is common) and end in LF or CRLF;
 * trailing whitespace is ignored; blank lines in the body are ignored; a missing blank
 * line after the headers is tolerated. Errors name the input line (1-based) and carry
 * the input byte offset of that line.
 *
 * @throws Error(Errc::Armor) "no armored block found" (constructor), bad CRC-24, a
 * character outside the base64 alphabet, misplaced padding, a malformed header or
 * checksum line, a missing end line or mismatched begin/end labels;
 * Error(Errc::LimitExceeded) when DearmorOptions limits are exceeded; and whatever the
 * text source throws.
 */
class DearmorSource final : public packet::Source {
public:
    explicit DearmorSource(packet::Source& text, DearmorOptions options = {});
    /** Wipes the line buffer (the text and decoded buffers are wiping memory already). */
    ~DearmorSource() override;
    DearmorSource(const DearmorSource&) = delete;
    DearmorSource& operator=(const DearmorSource&) = delete;
    std::size_t read(std::span<std::uint8_t> buf) override;
    /** Advances to the next armored block; false (and read() returns 0) if none is left. */
    bool next_block();

    /** Label of the current block, e.g. "PUBLIC KEY BLOCK". */
    const std::string& label() const noexcept { return m_label; }
    /** Armor headers of the current block in input order. */
    const std::vector<ArmorHeader>& headers() const noexcept { return m_headers; }
    /** 0-based index of the current block in the input. */
    std::size_t block_index() const noexcept { return m_block; }
    /** The 1-based input line the reader is on (for messages of callers). */
    std::uint64_t line() const noexcept { return m_line; }
    /** The block's checksum line, once read (absent when the block has none). */
    std::optional<std::uint32_t> checksum() const noexcept { return m_expected_crc; }

private:
    enum class State : std::uint8_t { Body, Padded, AfterChecksum, Ended, Done };

    bool fill();
    bool at_eof();
    std::string_view read_line(std::size_t keep, bool truncate);
    bool find_begin();
    void read_headers();
    void process_line(std::string_view line);
    void process_end_line(std::string_view line);
    void process_equals_line(std::string_view line);
    void slow_char(char c);
    bool fast_lines(std::uint8_t* out, std::size_t cap, std::size_t& n);
    std::size_t drain_pending(std::uint8_t* out, std::size_t room) noexcept;
    void flush_quad();
    void finish_block();
    [[noreturn]] void fail(const std::string& what) const;
    std::uint64_t input_offset() const noexcept { return m_base + m_pos; }

    // The armored text of a PRIVATE KEY block is as secret as the key, and so are its
    // decoded octets: both buffers are wiping memory.
    packet::Source& m_text;
    DearmorOptions m_opt;
    SecretBytes m_buf;
    std::size_t m_pos = 0;
    std::size_t m_end = 0;
    std::uint64_t m_base = 0;  // input offset of m_buf[0]
    bool m_eof = false;
    std::uint64_t m_line = 1;
    std::uint64_t m_line_offset = 0;  // input offset where the current line began
    std::uint64_t m_cur_line = 1;     // line number of the line being processed
    bool m_line_start = true;
    SecretString m_linebuf;  ///< a line that crossed the end of m_buf
    std::size_t m_fast_len = 0;  // length of the last line the fast path decoded

    std::string m_label;
    std::vector<ArmorHeader> m_headers;
    std::size_t m_block = 0;
    bool m_have_block = false;
    State m_state = State::Done;
    std::uint32_t m_quad = 0;
    unsigned m_qn = 0;
    SecretBytes m_pending;
    std::size_t m_pending_pos = 0;
    Crc24 m_crc;
    std::optional<std::uint32_t> m_expected_crc;
    std::uint64_t m_crc_line = 0;
    std::uint64_t m_crc_offset = 0;
};

/**
 * One decoded armored block. The octets are in wiping memory whatever the label: a PRIVATE
 * KEY block holds secret key material, and a block of another label may too.
 */
struct Block {
    std::string label;
    std::vector<ArmorHeader> headers;
    SecretBytes data;
    bool operator==(const Block&) const = default;
};

/**
 * Decodes every armored block of `text` in order.
 * @throws Error as DearmorSource does (Errc::Armor "no armored block found" if none).
 */
[[nodiscard]] std::vector<Block> decode_all(ByteView text);
/** As decode_all(text), with explicit reader options. */
[[nodiscard]] std::vector<Block> decode_all(ByteView text, const DearmorOptions& options);

/** Output format of the encoder. */
struct EncodeOptions {
    /** Base64 characters per body line; a multiple of 4 (RFC 9580: at most 76). */
    std::size_t line_length = 64;
    /** End lines with CRLF instead of LF. */
    bool crlf = false;
    /** Write the CRC-24 checksum line (gpg and RFC 4880 do; RFC 9580 makes it optional). */
    bool checksum = true;
};

/**
 * Streaming armor encoder, RFC 9580 section 6.2. The text equals gpg --enarmor's for the
 * same label and headers: BEGIN line, headers, blank line, body lines, "=" checksum
 * line, END line, each ending in LF (or CRLF).
 */
class ArmorEncoder {
public:
    /**
     * @throws Error(Errc::Usage) for an empty label or one holding "-" or a line break,
     * a header key that is empty or holds ':' or a line break, a value with a line
     * break, or a line length that is 0, not a multiple of 4, or over 1024.
     */
    ArmorEncoder(std::string_view label, const std::vector<ArmorHeader>& headers,
                 EncodeOptions options = {});
    /** Appends the armor text for more input to `out`. */
    void update(ByteView data, std::string& out);
    /** Appends the last body line, the checksum and the end line to `out`. */
    void finish(std::string& out);

private:
    void start(std::string& out);
    void write_lines(ByteView data, std::string& out);

    std::string m_label;
    std::string m_head;
    std::string m_eol;
    EncodeOptions m_opt;
    std::size_t m_line_bytes;
    SecretBytes m_carry;  ///< input octets of a partial line (a secret key's, perhaps)
    Crc24 m_crc;
    bool m_started = false;
    bool m_finished = false;
};

/** Armors `data` in one call (see ArmorEncoder); the result is ASCII text. */
[[nodiscard]] Bytes encode(ByteView data, std::string_view label,
                           const std::vector<ArmorHeader>& headers);
/** As encode(), with explicit options, returning the text as a string. */
[[nodiscard]] std::string encode_text(ByteView data, std::string_view label,
                                      const std::vector<ArmorHeader>& headers,
                                      EncodeOptions options = {});

}  // namespace pgpkit::armor
