// encrypt(): algorithms from the recipients' preferences, ESKs, then the streamed layers.

#include "message/encrypt.h"

#include <algorithm>
#include <memory>

#include "base/error.h"
#include "message/encrypt_seipd.h"
#include "packet/byte_writer.h"
#include "packet/header.h"

namespace pgpkit::message {

namespace {

using packet::CompressionAlgo;
using packet::SymAlgo;

template <class T, class F>
std::optional<T> common_choice(const std::vector<Recipient>& rs, F prefs_of, bool (*usable)(T)) {
    if (rs.empty()) return std::nullopt;
    for (T cand : prefs_of(rs.front())) {
        if (!usable(cand)) continue;
        const bool all = std::all_of(rs.begin() + 1, rs.end(), [&](const Recipient& r) {
            const auto& p = prefs_of(r);
            return std::find(p.begin(), p.end(), cand) != p.end();
        });
        if (all) return cand;
    }
    return std::nullopt;
}

bool cipher_usable(SymAlgo a) { return cipher_of(a).has_value(); }
bool compression_usable(CompressionAlgo a) {
    return a == CompressionAlgo::Zip || a == CompressionAlgo::Zlib || a == CompressionAlgo::Bzip2 ||
           a == CompressionAlgo::Uncompressed;
}
bool aead_usable(packet::AeadAlgo a) { return aead_of(a).has_value(); }

SymAlgo choose_cipher(const EncryptOptions& opt, bool aead) {
    if (opt.cipher) return *opt.cipher;
    auto c = common_choice<SymAlgo>(opt.recipients, [](const Recipient& r) -> const auto& { return r.sym_prefs; },
                                    &cipher_usable);
    if (c && (!aead || crypto::cipher_block_size(*cipher_of(*c)) == 16)) return *c;
    if (opt.recipients.empty()) return SymAlgo::Aes256;
    const bool any_prefs = std::any_of(opt.recipients.begin(), opt.recipients.end(),
                                       [](const Recipient& r) { return !r.sym_prefs.empty(); });
    return any_prefs ? SymAlgo::Aes128 : SymAlgo::Aes256;  // AES-128 is implicit in RFC 9580
}

CompressionAlgo choose_compression(const EncryptOptions& opt) {
    if (opt.compression) return *opt.compression;
    const bool no_prefs = std::all_of(opt.recipients.begin(), opt.recipients.end(),
                                      [](const Recipient& r) { return r.compression_prefs.empty(); });
    if (no_prefs) return CompressionAlgo::Zip;
    auto c = common_choice<CompressionAlgo>(
        opt.recipients, [](const Recipient& r) -> const auto& { return r.compression_prefs; }, &compression_usable);
    return c.value_or(CompressionAlgo::Uncompressed);
}

bool choose_aead(const EncryptOptions& opt) {
    if (opt.aead) return *opt.aead;
    return !opt.recipients.empty() &&
           std::all_of(opt.recipients.begin(), opt.recipients.end(), [](const Recipient& r) { return r.seipd_v2; });
}

packet::AeadAlgo choose_aead_mode(const EncryptOptions& opt) {
    if (opt.aead_mode) return *opt.aead_mode;
    return common_choice<packet::AeadAlgo>(
               opt.recipients, [](const Recipient& r) -> const auto& { return r.aead_prefs; }, &aead_usable)
        .value_or(packet::AeadAlgo::Ocb);
}

template <class P, class W>
void write_whole_packet(ByteSink& out, packet::Tag tag, const P& body, W writer) {
    Bytes b;
    packet::ByteWriter w(b);
    writer(body, w);
    Bytes framed;
    packet::write_canonical_header(tag, b.size(), framed);
    framed.insert(framed.end(), b.begin(), b.end());
    out.write(framed);
}

/** Counts the octets read through it. */
class CountingSource final : public packet::Source {
public:
    explicit CountingSource(packet::Source& inner) noexcept : m_inner(inner) {}
    std::size_t read(std::span<std::uint8_t> buf) override {
        const std::size_t n = m_inner.read(buf);
        count += n;
        return n;
    }
    std::uint64_t count = 0;

private:
    packet::Source& m_inner;
};

/** The inline signed message (one-pass signatures, literal data, signatures) into `top`. */
void write_signed(packet::Source& plaintext, ByteSink& top, const EncryptOptions& opt, crypto::Rng& rng,
                  EncryptResult& res) {
    SignOptions so;
    so.mode = SignMode::Inline;
    so.text = opt.format == 't' || opt.format == 'u';
    so.now = opt.signed_at ? opt.signed_at : opt.date;
    so.filename = opt.filename;
    so.literal_date = opt.date;
    CountingSource counted(plaintext);
    sign(counted, *opt.signers, so, rng, [&top](ByteView b) { top.write(b); });
    res.plaintext_octets = counted.count;
}

}  // namespace

EncryptResult encrypt(packet::Source& plaintext, ByteSink& out, const EncryptOptions& opt, crypto::Rng& rng) {
    if (opt.recipients.empty() && !opt.passphrase && opt.more_passphrases.empty())
        throw Error(Errc::Usage, 0, "nothing to encrypt to: give recipients or a passphrase");
    EncryptResult res;
    res.aead = choose_aead(opt);
    const SymAlgo cipher = choose_cipher(opt, res.aead);
    res.compression = choose_compression(opt);
    if (res.aead) res.aead_algo = choose_aead_mode(opt);

    std::vector<std::unique_ptr<ByteSink>> chain;
    ByteSink* top = &out;
    auto push = [&](std::unique_ptr<ByteSink> s) {
        top = s.get();
        chain.push_back(std::move(s));
    };
    if (opt.armor) push(std::make_unique<ArmorSink>(*top, "MESSAGE"));

    // Session key: S2K output for a passphrase alone in v4 (as gpg), else random.
    const bool s2k_key = opt.recipients.empty() && !res.aead && opt.passphrase && opt.more_passphrases.empty();
    std::optional<SessionKey> sk;
    if (!s2k_key) sk = random_session_key(cipher, rng);
    for (const Recipient& r : opt.recipients) {
        const packet::Pkesk p = make_pkesk(r.key, *sk, res.aead ? 6 : 3, rng);
        write_whole_packet(*top, packet::Tag::Pkesk, p, packet::write_pkesk);
    }
    if (opt.passphrase) {
        SkeskParams params;
        params.version = res.aead ? 6 : 4;
        params.aead = res.aead_algo;
        SessionKey derived;
        const packet::Skesk s = make_skesk(*opt.passphrase, cipher, sk, params, rng, &derived);
        if (s2k_key) sk = derived;
        write_whole_packet(*top, packet::Tag::Skesk, s, packet::write_skesk);
    }
    for (const SecretBytes& pass : opt.more_passphrases) {
        SkeskParams params;
        params.version = res.aead ? 6 : 4;
        params.aead = res.aead_algo;
        write_whole_packet(*top, packet::Tag::Skesk, make_skesk(pass, cipher, sk, params, rng), packet::write_skesk);
    }
    res.session_key = *sk;
    emit(opt.status, "BEGIN_ENCRYPTION",
         res.aead ? std::vector<std::string>{"0", std::to_string(unsigned(cipher)), std::to_string(unsigned(res.aead_algo))}
                  : std::vector<std::string>{"2", std::to_string(unsigned(cipher))});

    push(std::make_unique<PacketSink>(*top, packet::Tag::Seipd));
    if (res.aead) push(std::make_unique<SeipdV2Sink>(*top, *sk, res.aead_algo, opt.chunk_octet, rng));
    else push(std::make_unique<SeipdV1Sink>(*top, *sk, rng));
    if (res.compression != CompressionAlgo::Uncompressed) {
        push(std::make_unique<PacketSink>(*top, packet::Tag::CompressedData));
        push(std::make_unique<CompressSink>(*top, res.compression, opt.compress_level));
    }
    if (opt.signers && !opt.signers->empty()) {
        write_signed(plaintext, *top, opt, rng, res);
        top->finish();
        emit(opt.status, "END_ENCRYPTION");
        return res;
    }
    push(std::make_unique<PacketSink>(*top, packet::Tag::Literal));

    Bytes head{opt.format, static_cast<std::uint8_t>(std::min<std::size_t>(opt.filename.size(), 255))};
    head.insert(head.end(), opt.filename.begin(), opt.filename.begin() + head[1]);
    for (int sh = 24; sh >= 0; sh -= 8) head.push_back(static_cast<std::uint8_t>(opt.date >> sh));
    top->write(head);
    Bytes buf(std::size_t{1} << 16);
    for (;;) {
        const std::size_t n = plaintext.read(buf);
        if (n == 0) break;
        top->write({buf.data(), n});
        res.plaintext_octets += n;
    }
    top->finish();
    emit(opt.status, "END_ENCRYPTION");
    return res;
}

}  // namespace pgpkit::message
