#include "keygen/params.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

#include "base/time.h"

namespace pgpkit::keygen {

namespace {

enum class Kw : std::uint8_t {
    KeyType, KeyLength, KeyCurve, KeyUsage, KeyVersion, KeyGrip,
    SubkeyType, SubkeyLength, SubkeyCurve, SubkeyUsage, SubkeyExpireDate, SubkeyVersion, SubkeyGrip,
    NameReal, NameComment, NameEmail, UserId, Passphrase, ExpireDate, CreationDate, Preferences,
    Revoker, Keyserver, Handle,
};

struct KeywordName {
    std::string_view name;
    Kw kw;
};

constexpr std::array<KeywordName, 26> keywords{{
    {"Key-Type", Kw::KeyType}, {"Key-Length", Kw::KeyLength}, {"Key-Curve", Kw::KeyCurve},
    {"Key-Usage", Kw::KeyUsage}, {"Key-Version", Kw::KeyVersion}, {"Key-Grip", Kw::KeyGrip},
    {"Keygrip", Kw::KeyGrip}, {"Subkey-Type", Kw::SubkeyType}, {"Subkey-Length", Kw::SubkeyLength},
    {"Subkey-Curve", Kw::SubkeyCurve}, {"Subkey-Usage", Kw::SubkeyUsage},
    {"Subkey-Expire-Date", Kw::SubkeyExpireDate}, {"Subkey-Version", Kw::SubkeyVersion},
    {"Subkey-Grip", Kw::SubkeyGrip}, {"Name-Real", Kw::NameReal}, {"Name-Comment", Kw::NameComment},
    {"Name-Email", Kw::NameEmail}, {"User-Id", Kw::UserId}, {"Passphrase", Kw::Passphrase},
    {"Expire-Date", Kw::ExpireDate}, {"Creation-Date", Kw::CreationDate},
    {"Preferences", Kw::Preferences}, {"Revoker", Kw::Revoker}, {"Keyserver", Kw::Keyserver},
    {"Handle", Kw::Handle}, {"Subkey-grip", Kw::SubkeyGrip},
}};

bool is_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

bool iequals(std::string_view a, std::string_view b) noexcept {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

bool istarts_with(std::string_view s, std::string_view prefix) noexcept {
    return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

std::optional<std::uint64_t> parse_number(std::string_view s) noexcept {
    if (s.empty() || s.size() > 19) return std::nullopt;
    std::uint64_t v = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
    return v;
}

/**
 * A Key-Length / Subkey-Length value: decimal digits, saturating at UINT_MAX so that an
 * absurd length is clamped like any other out-of-range one (GnuPG reads it with strtoul).
 */
std::optional<unsigned> parse_length(std::string_view s) noexcept {
    if (s.empty()) return std::nullopt;
    unsigned v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        const unsigned d = static_cast<unsigned>(c - '0');
        v = v > (~0u - d) / 10 ? ~0u : v * 10 + d;
    }
    return v;
}

std::vector<std::string_view> split_words(std::string_view s) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && (is_space(s[i]) || s[i] == ',')) ++i;
        std::size_t j = i;
        while (j < s.size() && !is_space(s[j]) && s[j] != ',') ++j;
        if (j > i) out.push_back(s.substr(i, j - i));
        i = j;
    }
    return out;
}

/**
 * "YYYY-MM-DD", "YYYYMMDDTHHMMSS" or "YYYY-MM-DDTHH:MM:SS" (UTC), in the years 1970 to 2105
 * that an OpenPGP four-octet time holds.
 */
std::optional<std::uint64_t> parse_iso(std::string_view s) {
    const std::int64_t year_2106 = days_from_civil(2106, 1, 1) * 86400;
    const std::optional<std::int64_t> t = parse_utc_time(s);
    if (!t || *t < 0 || *t >= year_2106) return std::nullopt;
    return static_cast<std::uint64_t>(*t);
}

std::optional<Algo> parse_algo(std::string_view v) {
    if (auto n = parse_number(v)) {
        switch (*n) {
        case 1: return Algo::Rsa;
        case 16: return Algo::Elgamal;
        case 17: return Algo::Dsa;
        case 18: return Algo::Ecdh;
        case 19: return Algo::Ecdsa;
        case 22: return Algo::EdDsa;
        default: return std::nullopt;
        }
    }
    struct N { std::string_view n; Algo a; };
    static constexpr N names[] = {{"RSA", Algo::Rsa},     {"DSA", Algo::Dsa},       {"ELG-E", Algo::Elgamal},
                                  {"ELG", Algo::Elgamal}, {"ECDSA", Algo::Ecdsa},   {"ECDH", Algo::Ecdh},
                                  {"EDDSA", Algo::EdDsa}};
    for (const N& x : names)
        if (iequals(v, x.n)) return x.a;
    return std::nullopt;
}

std::optional<crypto::Curve> parse_curve(std::string_view v) {
    struct N { std::string_view n; crypto::Curve c; };
    static constexpr N names[] = {
        {"nistp256", crypto::Curve::NistP256}, {"NIST P-256", crypto::Curve::NistP256},
        {"secp256r1", crypto::Curve::NistP256}, {"nistp384", crypto::Curve::NistP384},
        {"NIST P-384", crypto::Curve::NistP384}, {"secp384r1", crypto::Curve::NistP384},
        {"nistp521", crypto::Curve::NistP521}, {"NIST P-521", crypto::Curve::NistP521},
        {"secp521r1", crypto::Curve::NistP521}, {"brainpoolP256r1", crypto::Curve::BrainpoolP256r1},
        {"brainpoolP384r1", crypto::Curve::BrainpoolP384r1}, {"brainpoolP512r1", crypto::Curve::BrainpoolP512r1},
        {"ed25519", crypto::Curve::Ed25519}, {"cv25519", crypto::Curve::Cv25519},
        {"curve25519", crypto::Curve::Cv25519},
    };
    for (const N& x : names)
        if (iequals(v, x.n)) return x.c;
    return std::nullopt;
}

std::optional<Usage> parse_usage(std::string_view v) {
    Usage u;
    for (std::string_view w : split_words(v)) {
        if (iequals(w, "sign")) u.sign = true;
        else if (iequals(w, "encrypt") || iequals(w, "encr")) u.encrypt = true;
        else if (iequals(w, "auth")) u.auth = true;
        else if (iequals(w, "cert")) u.cert = true;
        else return std::nullopt;
    }
    return u;
}

std::optional<Revoker> parse_revoker(std::string_view v) {
    const std::size_t colon = v.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    auto algo = parse_number(v.substr(0, colon));
    if (!algo || *algo == 0 || *algo > 255) return std::nullopt;
    Revoker r;
    r.algo = static_cast<std::uint8_t>(*algo);
    std::string_view rest = v.substr(colon + 1);
    std::size_t i = 0;
    auto hexval = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    while (i + 1 < rest.size() && !is_space(rest[i])) {
        const int hi = hexval(rest[i]), lo = hexval(rest[i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        r.fingerprint.push_back(static_cast<std::uint8_t>(hi * 16 + lo));
        i += 2;
    }
    if (i < rest.size() && !is_space(rest[i])) return std::nullopt;
    if (r.fingerprint.size() != 20 && r.fingerprint.size() != 32) return std::nullopt;
    std::string_view tail = trim(rest.substr(i));
    if (iequals(tail, "sensitive")) r.sensitive = true;
    else if (!tail.empty()) return std::nullopt;
    return r;
}

bool valid_mailbox(std::string_view s) noexcept {
    const std::size_t at = s.find('@');
    if (at == std::string_view::npos || at == 0 || at + 1 == s.size() || s.find('@', at + 1) != std::string_view::npos)
        return false;
    for (char c : s)
        if (is_space(c) || c == '<' || c == '>' || static_cast<unsigned char>(c) < 0x20) return false;
    return s.back() != '.';
}

bool is_hex(std::string_view s) noexcept {
    return std::all_of(s.begin(), s.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

std::string quoted(std::string_view v) { return "\"" + std::string(v) + "\""; }

/** Parser state for one file (GnuPG keeps control settings across blocks). */
class Parser {
public:
    Parser(std::string_view file) : m_file(file) {}
    std::vector<Item> run(std::string_view text);

private:
    void line(std::string_view raw);
    void control(std::string_view body);
    void parameter(std::string_view body);
    std::optional<std::string> apply(Kw kw, std::string_view name, std::string_view value);
    std::optional<std::string> apply_key(Kw kw, std::string_view name, std::string_view value);
    std::optional<std::string> apply_identity(Kw kw, std::string_view value);
    std::optional<std::string> apply_subkey(Kw kw, std::string_view value);
    void fail(std::string reason, unsigned at = 0);
    void commit();
    void validate(KeyBlock& b);
    KeyBlock& block();

    std::string m_file;
    unsigned m_line = 0;
    std::vector<Item> m_items;
    std::optional<KeyBlock> m_block;
    std::vector<Kw> m_seen;         // keywords given in the current block
    std::vector<Kw> m_seen_subkey;  // keywords given in the current Subkey-Type group
    unsigned m_length_line = 0;                // line of the block's Key-Length
    std::vector<unsigned> m_subkey_length_lines;  // line of each subkey's Subkey-Length, 0 if none
    std::vector<Message> m_warnings;           // lengths GnuPG would adjust, for the current block
    bool m_dry_run = false, m_no_protection = false, m_transient = false;
    std::string m_pubring, m_secring;
};

KeyBlock& Parser::block() {
    if (!m_block) {
        m_block.emplace();
        m_block->file = m_file;
        m_block->line = m_line;
        m_block->prefs = default_preferences();
    }
    return *m_block;
}

void Parser::fail(std::string reason, unsigned at) {
    KeyBlock& b = block();
    if (!b.error) b.error = m_file + ":" + std::to_string(at ? at : m_line) + ": " + reason;
}

std::vector<Item> Parser::run(std::string_view text) {
    while (!text.empty()) {
        ++m_line;
        const std::size_t nl = text.find('\n');
        std::string_view l = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
        if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
        if (l.size() > max_line_length) {
            fail("line too long (more than " + std::to_string(max_line_length) + " octets)");
            continue;
        }
        line(l);
    }
    commit();
    return std::move(m_items);
}

void Parser::line(std::string_view raw) {
    std::string_view l = trim(raw);
    if (l.empty() || l.front() == '#') return;
    if (l.front() == '%') control(l.substr(1));
    else parameter(l);
}

void Parser::control(std::string_view body) {
    std::size_t end = 0;
    while (end < body.size() && !is_space(body[end])) ++end;
    const std::string_view kw = body.substr(0, end);
    const std::string_view value = trim(body.substr(end));
    auto notice = [&](std::string text) { m_items.emplace_back(std::in_place_type<Message>, Message{Message::Kind::Notice, m_line, std::move(text)}); };
    if (iequals(kw, "echo")) {
        m_items.emplace_back(std::in_place_type<Message>, Message{Message::Kind::Echo, m_line, std::string(value)});
    } else if (iequals(kw, "dry-run")) {
        m_dry_run = true;
    } else if (iequals(kw, "commit")) {
        commit();
    } else if (iequals(kw, "pubring") || iequals(kw, "secring")) {
        if (value.empty()) {
            fail("%" + std::string(kw) + " needs a file name");
            return;
        }
        (iequals(kw, "pubring") ? m_pubring : m_secring) = std::string(value);
    } else if (iequals(kw, "ask-passphrase") || iequals(kw, "no-ask-passphrase")) {
        notice(m_file + ":" + std::to_string(m_line) + ": %" + std::string(kw) +
               " is obsolete and ignored (no pinentry: give Passphrase or %no-protection)");
    } else if (iequals(kw, "no-protection")) {
        m_no_protection = true;
    } else if (iequals(kw, "transient-key")) {
        m_transient = true;
    } else {
        notice(m_file + ":" + std::to_string(m_line) + ": skipping control '%" + std::string(kw) + "' (" +
               std::string(value) + ")");
    }
}

void Parser::parameter(std::string_view body) {
    const std::size_t colon = body.find(':');
    if (colon == std::string_view::npos) {
        fail("missing colon");
        return;
    }
    const std::string_view name = trim(body.substr(0, colon));
    const std::string_view value = trim(body.substr(colon + 1));
    const KeywordName* k = nullptr;
    for (const KeywordName& x : keywords)
        if (iequals(x.name, name)) k = &x;
    if (k && k->kw == Kw::KeyType && m_block) commit();
    if (!k) {
        fail("unknown keyword \"" + std::string(name) + "\"");
        return;
    }
    if (value.empty()) {
        fail("missing argument for " + std::string(k->name));
        return;
    }
    if (auto err = apply(k->kw, k->name, value)) fail(*err);
}

std::optional<std::string> Parser::apply(Kw kw, std::string_view name, std::string_view value) {
    const bool subkey_kw = kw == Kw::SubkeyLength || kw == Kw::SubkeyCurve || kw == Kw::SubkeyUsage ||
                           kw == Kw::SubkeyExpireDate || kw == Kw::SubkeyVersion;
    if (subkey_kw) return apply_subkey(kw, value);
    if (kw != Kw::SubkeyType && kw != Kw::SubkeyGrip) {
        if (std::find(m_seen.begin(), m_seen.end(), kw) != m_seen.end())
            return std::string(name) + " may only be given once per key";
        m_seen.push_back(kw);
    }
    switch (kw) {
    case Kw::KeyType: case Kw::KeyLength: case Kw::KeyCurve: case Kw::KeyUsage: case Kw::KeyVersion:
    case Kw::KeyGrip: case Kw::SubkeyGrip: case Kw::SubkeyType: return apply_key(kw, name, value);
    default: return apply_identity(kw, value);
    }
}

std::optional<std::string> Parser::apply_key(Kw kw, std::string_view name, std::string_view value) {
    KeyBlock& b = block();
    switch (kw) {
    case Kw::KeyType: {
        b.key_type_line = m_line;
        if (iequals(value, "default")) {
            // GnuPG 2.4's default key: "ed25519/cert,sign" (the subkey default is cv25519/encr).
            b.algo = Algo::EdDsa;
            b.curve = crypto::Curve::Ed25519;
            if (!b.usage) b.usage = Usage{true, false, false, true};
            return std::nullopt;
        }
        auto a = parse_algo(value);
        if (!a) return "unknown Key-Type " + quoted(value);
        b.algo = *a;
        return std::nullopt;
    }
    case Kw::KeyLength: {
        auto n = parse_length(value);
        if (!n) return "invalid Key-Length " + quoted(value);
        b.length = *n;
        m_length_line = m_line;
        return std::nullopt;
    }
    case Kw::KeyCurve: {
        auto c = parse_curve(value);
        if (!c) return "unknown Key-Curve " + quoted(value);
        b.curve = c;
        return std::nullopt;
    }
    case Kw::KeyUsage: {
        auto u = parse_usage(value);
        if (!u) return "invalid Key-Usage " + quoted(value) + " (want sign, encrypt, auth, cert)";
        b.usage = u;
        return std::nullopt;
    }
    case Kw::KeyVersion: {
        auto n = parse_number(value);
        if (!n || (*n != 4 && *n != 5 && *n != 6)) return "invalid Key-Version " + quoted(value) + " (want 4, 5 or 6)";
        b.version = static_cast<std::uint8_t>(*n);
        return std::nullopt;
    }
    case Kw::KeyGrip:
    case Kw::SubkeyGrip: {
        if (kw == Kw::SubkeyGrip) name = "Subkey-Grip";  // the table also holds GnuPG's "Subkey-grip" spelling
        if (value.size() != 40 || !is_hex(value)) return "invalid " + std::string(name) + " " + quoted(value);
        // The key is looked up when the block is generated (keygen/keygrip.h).
        GripRef g{m_line, std::string(name), {}};
        for (std::size_t i = 0; i < 20; ++i)
            g.grip[i] = static_cast<std::uint8_t>(std::stoi(std::string(value.substr(2 * i, 2)), nullptr, 16));
        if (kw == Kw::KeyGrip) {
            b.grip = std::move(g);
        } else {
            if (b.subkeys.empty()) return std::string(name) + " without a Subkey-Type before it";
            if (std::find(m_seen_subkey.begin(), m_seen_subkey.end(), kw) != m_seen_subkey.end())
                return std::string(name) + " may only be given once per subkey";
            m_seen_subkey.push_back(kw);
            b.subkeys.back().grip = std::move(g);
        }
        return std::nullopt;
    }
    case Kw::SubkeyType: {
        m_seen_subkey.clear();
        SubkeySpec s;
        s.line = m_line;
        if (iequals(value, "default")) {
            s.algo = Algo::Ecdh;
            s.curve = crypto::Curve::Cv25519;
        } else {
            auto a = parse_algo(value);
            if (!a) return "unknown Subkey-Type " + quoted(value);
            s.algo = *a;
        }
        b.subkeys.push_back(s);
        return std::nullopt;
    }
    default: return std::nullopt;
    }
}

std::optional<std::string> Parser::apply_identity(Kw kw, std::string_view value) {
    KeyBlock& b = block();
    switch (kw) {
    case Kw::NameReal: b.name_real = value; return std::nullopt;
    case Kw::NameComment:
        if (value.find_first_of("()") != std::string_view::npos) return "invalid Name-Comment: no parentheses allowed";
        b.name_comment = value;
        return std::nullopt;
    case Kw::NameEmail:
        if (!valid_mailbox(value)) return "invalid Name-Email " + quoted(value);
        b.name_email = value;
        return std::nullopt;
    case Kw::UserId: b.user_id = value; return std::nullopt;
    case Kw::Passphrase: b.passphrase = SecretBytes(value.begin(), value.end()); return std::nullopt;
    case Kw::ExpireDate: {
        auto e = parse_expiry(value);
        if (!e) return "invalid Expire-Date " + quoted(value);
        b.expire = *e;
        return std::nullopt;
    }
    case Kw::CreationDate: {
        auto c = parse_creation(value);
        if (!c) return "invalid Creation-Date " + quoted(value);
        b.creation = c;
        return std::nullopt;
    }
    case Kw::Preferences: {
        auto p = parse_preferences(value);
        if (auto* err = std::get_if<std::string>(&p)) return *err;
        b.prefs = std::get<Preferences>(p);
        return std::nullopt;
    }
    case Kw::Revoker: {
        auto r = parse_revoker(value);
        if (!r) return "invalid Revoker " + quoted(value) + " (want algo:fingerprint [sensitive])";
        b.revokers.push_back(*r);
        return std::nullopt;
    }
    case Kw::Keyserver: b.keyserver = value; return std::nullopt;
    case Kw::Handle: b.handle = value; return std::nullopt;
    default: return std::nullopt;
    }
}

std::optional<std::string> Parser::apply_subkey(Kw kw, std::string_view value) {
    KeyBlock& b = block();
    const char* name = kw == Kw::SubkeyLength ? "Subkey-Length"
                       : kw == Kw::SubkeyCurve ? "Subkey-Curve"
                       : kw == Kw::SubkeyUsage ? "Subkey-Usage"
                       : kw == Kw::SubkeyExpireDate ? "Subkey-Expire-Date"
                                                     : "Subkey-Version";
    if (b.subkeys.empty()) return std::string(name) + " without a Subkey-Type before it";
    if (std::find(m_seen_subkey.begin(), m_seen_subkey.end(), kw) != m_seen_subkey.end())
        return std::string(name) + " may only be given once per subkey";
    m_seen_subkey.push_back(kw);
    SubkeySpec& s = b.subkeys.back();
    switch (kw) {
    case Kw::SubkeyLength: {
        auto n = parse_length(value);
        if (!n) return "invalid Subkey-Length " + quoted(value);
        s.length = *n;
        m_subkey_length_lines.resize(b.subkeys.size());
        m_subkey_length_lines.back() = m_line;
        return std::nullopt;
    }
    case Kw::SubkeyCurve: {
        auto c = parse_curve(value);
        if (!c) return "unknown Subkey-Curve " + quoted(value);
        s.curve = c;
        return std::nullopt;
    }
    case Kw::SubkeyUsage: {
        auto u = parse_usage(value);
        if (!u) return "invalid Subkey-Usage " + quoted(value) + " (want sign, encrypt, auth)";
        if (u->cert) return "Subkey-Usage cert: only the primary key certifies";
        s.usage = u;
        return std::nullopt;
    }
    case Kw::SubkeyExpireDate: {
        auto e = parse_expiry(value);
        if (!e) return "invalid Subkey-Expire-Date " + quoted(value);
        s.expire = e;
        return std::nullopt;
    }
    default: {
        auto n = parse_number(value);
        if (!n || (*n != 4 && *n != 5 && *n != 6)) return "invalid Subkey-Version " + quoted(value) + " (want 4, 5 or 6)";
        s.version = static_cast<std::uint8_t>(*n);
        return std::nullopt;
    }
    }
}

const char* algo_label(Algo a) noexcept {
    switch (a) {
    case Algo::Rsa: return "RSA";
    case Algo::Elgamal: return "ELG-E";
    case Algo::Dsa: return "DSA";
    case Algo::Ecdh: return "ECDH";
    case Algo::Ecdsa: return "ECDSA";
    case Algo::EdDsa: return "EdDSA";
    }
    return "?";
}

bool is_ecc(Algo a) noexcept { return a == Algo::Ecdh || a == Algo::Ecdsa || a == Algo::EdDsa; }

/** Checks algorithm, curve, length and usage of one key; returns the reason if wrong. */
std::optional<std::string> check_key(Algo algo, std::optional<crypto::Curve>& curve, unsigned& length,
                                     std::optional<Usage>& usage, bool primary, bool grip) {
    const std::string what = primary ? "Key-" : "Subkey-";
    if (grip) {
        // Key-Grip: curve and size come from the stored key (GnuPG ignores them too).
    } else if (is_ecc(algo)) {
        if (!curve) return what + "Type " + algo_label(algo) + " needs a " + what + "Curve";
        const bool ed = *curve == crypto::Curve::Ed25519, cv = *curve == crypto::Curve::Cv25519;
        if ((algo == Algo::EdDsa && !ed) || (algo == Algo::Ecdsa && (ed || cv)) || (algo == Algo::Ecdh && ed))
            return what + "Curve does not fit " + what + "Type " + algo_label(algo);
        length = crypto::curve_bits(*curve);
    } else if (length == 0) {
        length = algo == Algo::Dsa ? 2048 : 3072;  // an out-of-range length was clamped before
    }
    const bool can_sign = algo == Algo::Rsa || algo == Algo::Dsa || algo == Algo::Ecdsa || algo == Algo::EdDsa;
    const bool can_encrypt = algo == Algo::Rsa || algo == Algo::Elgamal || algo == Algo::Ecdh;
    if (primary && !can_sign) return std::string("Key-Type ") + algo_label(algo) + " cannot certify, so it cannot be a primary key";
    if (!usage) {
        // GnuPG's default: every capability the algorithm has.
        usage = Usage{};
        usage->sign = usage->auth = can_sign;
        usage->encrypt = can_encrypt;
    }
    if ((usage->sign || usage->auth || usage->cert) && !can_sign)
        return what + "Usage sign/auth not possible with " + algo_label(algo);
    if (usage->encrypt && !can_encrypt) return what + "Usage encrypt not possible with " + algo_label(algo);
    if (primary) usage->cert = true;
    return std::nullopt;
}

/**
 * GnuPG 2.2's gen_rsa, gen_elg and gen_dsa (g10/keygen.c): a length out of range is replaced
 * (RSA and Elgamal below 1024 by 3072, above 4096 by 4096; DSA below 768 by 2048, above 3072
 * by 3072), then rounded up to a multiple of 32 (DSA: 64, and above 1024 to a multiple of
 * 1024 as GnuPG does outside --expert). Returns GnuPG's message for each change, in order.
 * A length of 0 (not given) is left for the default.
 */
std::vector<std::string> gnupg_key_length(Algo algo, unsigned& bits) {
    std::vector<std::string> out;
    if (bits == 0 || is_ecc(algo)) return out;
    const bool dsa = algo == Algo::Dsa;
    const unsigned lo = dsa ? 768 : 1024, hi = dsa ? 3072 : 4096, fallback = dsa ? 2048 : 3072;
    auto round_up = [&](unsigned m) {
        if (bits % m == 0) return;
        bits = (bits + m - 1) / m * m;
        out.push_back("keysize rounded up to " + std::to_string(bits) + " bits");
    };
    if (bits < lo || bits > hi) {
        bits = bits < lo ? fallback : hi;
        out.push_back("keysize invalid; using " + std::to_string(bits) + " bits");
    }
    round_up(dsa ? 64 : 32);
    if (dsa && bits > 1024) round_up(1024);
    return out;
}

void Parser::validate(KeyBlock& b) {
    if (b.error) return;
    if (!b.key_type_line) {
        b.error = b.file + ":" + std::to_string(b.line) + ": no Key-Type before these parameters";
        return;
    }
    auto at = [&](unsigned line, const std::string& why) { b.error = b.file + ":" + std::to_string(line) + ": " + why; };
    auto clamp = [&](Algo algo, unsigned& bits, bool grip, unsigned line) {
        if (grip) return;
        for (std::string& m : gnupg_key_length(algo, bits))
            m_warnings.push_back({Message::Kind::Warning, line, b.file + ":" + std::to_string(line) + ": " + m});
    };
    clamp(b.algo, b.length, b.grip.has_value(), m_length_line);
    m_subkey_length_lines.resize(b.subkeys.size());
    for (std::size_t i = 0; i < b.subkeys.size(); ++i)
        clamp(b.subkeys[i].algo, b.subkeys[i].length, b.subkeys[i].grip.has_value(), m_subkey_length_lines[i]);
    if (auto err = check_key(b.algo, b.curve, b.length, b.usage, true, b.grip.has_value()))
        return at(b.key_type_line, *err);
    for (SubkeySpec& s : b.subkeys)
        if (auto err = check_key(s.algo, s.curve, s.length, s.usage, false, s.grip.has_value()))
            return at(s.line, *err);
    if (b.effective_user_id().empty())
        return at(b.key_type_line, "no user ID: give User-Id or Name-Real / Name-Email");
}

void Parser::commit() {
    if (!m_block) return;
    KeyBlock b = std::move(*m_block);
    m_block.reset();
    m_seen.clear();
    m_seen_subkey.clear();
    b.dry_run = m_dry_run;
    b.no_protection = m_no_protection;
    b.transient_key = m_transient;
    b.pubring = m_pubring;
    b.secring = m_secring;
    validate(b);
    // GnuPG says these when it generates the key, so a block that is not made says nothing.
    if (!b.error && !b.dry_run)
        for (Message& m : m_warnings) m_items.emplace_back(std::in_place_type<Message>, std::move(m));
    m_warnings.clear();
    m_length_line = 0;
    m_subkey_length_lines.clear();
    m_items.emplace_back(std::in_place_type<KeyBlock>, std::move(b));
}

}  // namespace

std::string KeyBlock::effective_user_id() const {
    if (!user_id.empty()) return user_id;
    // GnuPG's proc_parameter_file: the comment always gets a leading " (", the email gets
    // " <...>" unless it is all there is, then it stands bare.
    std::string u = name_real;
    if (!name_comment.empty()) u += " (" + name_comment + ")";
    if (!name_email.empty()) u += u.empty() ? name_email : " <" + name_email + ">";
    return u;
}

std::vector<Item> parse_params(std::string_view text, std::string_view file) { return Parser(file).run(text); }

std::optional<Expiry> parse_expiry(std::string_view s) {
    s = trim(s);
    if (s.empty() || iequals(s, "none") || iequals(s, "never")) return Expiry{};
    if (istarts_with(s, "seconds=")) {
        auto n = parse_number(s.substr(8));
        if (!n || *n > 0xFFFFFFFFULL) return std::nullopt;
        if (*n == 0) return Expiry{};
        return Expiry{Expiry::Kind::Duration, *n};
    }
    if (auto t = parse_iso(s)) return Expiry{Expiry::Kind::Absolute, *t};
    std::size_t i = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    if (i == 0 || i + 1 < s.size()) return std::nullopt;
    auto n = parse_number(s.substr(0, i));
    if (!n) return std::nullopt;
    std::uint64_t mult = 86400;
    if (i < s.size()) {
        switch (std::tolower(static_cast<unsigned char>(s[i]))) {
        case 'd': break;
        case 'w': mult *= 7; break;
        case 'm': mult *= 30; break;
        case 'y': mult *= 365; break;
        default: return std::nullopt;
        }
    }
    if (*n > 0xFFFFFFFFULL / mult) return std::nullopt;
    if (*n == 0) return Expiry{};
    return Expiry{Expiry::Kind::Duration, *n * mult};
}

std::optional<std::uint32_t> parse_creation(std::string_view s) {
    s = trim(s);
    if (istarts_with(s, "seconds=")) {
        auto n = parse_number(s.substr(8));
        if (!n || *n == 0 || *n > 0xFFFFFFFFULL) return std::nullopt;
        return static_cast<std::uint32_t>(*n);
    }
    if (auto t = parse_iso(s); t && *t > 0) return static_cast<std::uint32_t>(*t);
    return std::nullopt;
}

Preferences default_preferences() {
    Preferences p;
    p.sym = {9, 8, 7};
    p.hash = {10, 9, 8, 11};
    p.zip = {2, 3, 1};
    return p;
}

std::variant<Preferences, std::string> parse_preferences(std::string_view s) {
    s = trim(s);
    if (iequals(s, "default")) return default_preferences();
    Preferences p;
    if (iequals(s, "none")) return p;
    struct N { std::string_view n; char kind; std::uint8_t v; };
    static constexpr N names[] = {
        {"IDEA", 'S', 1},       {"3DES", 'S', 2},        {"CAST5", 'S', 3},       {"BLOWFISH", 'S', 4},
        {"AES", 'S', 7},        {"AES128", 'S', 7},      {"AES192", 'S', 8},      {"AES256", 'S', 9},
        {"TWOFISH", 'S', 10},   {"CAMELLIA128", 'S', 11}, {"CAMELLIA192", 'S', 12}, {"CAMELLIA256", 'S', 13},
        {"MD5", 'H', 1},        {"SHA1", 'H', 2},        {"RIPEMD160", 'H', 3},   {"SHA256", 'H', 8},
        {"SHA384", 'H', 9},     {"SHA512", 'H', 10},     {"SHA224", 'H', 11},     {"NONE", 'Z', 0},
        {"UNCOMPRESSED", 'Z', 0}, {"ZIP", 'Z', 1},       {"ZLIB", 'Z', 2},        {"BZIP2", 'Z', 3},
    };
    for (std::string_view w : split_words(s)) {
        char kind = 0;
        std::uint8_t v = 0;
        if (iequals(w, "mdc")) { p.mdc = true; continue; }
        if (iequals(w, "no-mdc")) { p.mdc = false; continue; }
        if (iequals(w, "ks-modify")) { p.ks_modify = true; continue; }
        if (iequals(w, "no-ks-modify")) { p.ks_modify = false; continue; }
        for (const N& x : names)
            if (iequals(w, x.n)) kind = x.kind, v = x.v;
        if (!kind && w.size() >= 2 && std::string_view("SHZshz").find(w[0]) != std::string_view::npos) {
            auto n = parse_number(w.substr(1));
            if (n && *n <= 110) {
                kind = static_cast<char>(std::toupper(static_cast<unsigned char>(w[0])));
                v = static_cast<std::uint8_t>(*n);
            }
        }
        if (!kind) return "invalid item '" + std::string(w) + "' in preference string";
        auto& list = kind == 'S' ? p.sym : kind == 'H' ? p.hash : p.zip;
        if (std::find(list.begin(), list.end(), v) != list.end())
            return "item '" + std::string(w) + "' is given more than once in preference string";
        list.push_back(v);
    }
    return p;
}

std::optional<std::uint32_t> expiry_seconds(const Expiry& e, std::uint32_t created) {
    switch (e.kind) {
    case Expiry::Kind::Never: return 0;
    case Expiry::Kind::Duration:
        if (e.value == 0 || e.value > 0xFFFFFFFFULL) return std::nullopt;
        return static_cast<std::uint32_t>(e.value);
    case Expiry::Kind::Absolute:
        if (e.value <= created || e.value - created > 0xFFFFFFFFULL) return std::nullopt;
        return static_cast<std::uint32_t>(e.value - created);
    }
    return std::nullopt;
}

}  // namespace pgpkit::keygen
