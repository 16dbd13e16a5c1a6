// sop: option parsing, indirect inputs and outputs, key and certificate input, dates and
// verification lines, shared by the subcommand files.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "armor/armor.h"
#include "base/error.h"
#include "base/time.h"
#include "cert/secret_key.h"
#include "cli/sop/sop.h"

namespace pgpkit::cli::sop {

void fail(Exit code, std::string message) { throw Failure{code, std::move(message)}; }

std::optional<std::string> Args::value(const std::string& name) const {
    const auto it = values.find(name);
    if (it == values.end() || it->second.empty()) return std::nullopt;
    return it->second.back();
}

std::vector<std::string> Args::all(const std::string& name) const {
    const auto it = values.find(name);
    return it == values.end() ? std::vector<std::string>{} : it->second;
}

Args parse_args(const std::vector<std::string>& args, const Spec& spec) {
    Args out;
    bool options_done = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (options_done || a.size() < 2 || a.compare(0, 2, "--") != 0) {
            out.positional.push_back(a);
            continue;
        }
        if (a == "--") {
            options_done = true;
            continue;
        }
        const auto eq = a.find('=');
        const std::string name = a.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
        if (spec.flags.count(name)) {
            if (eq != std::string::npos) fail(Exit::UnsupportedOption, "option --" + name + " takes no value");
            out.flags.insert(name);
        } else if (spec.values.count(name)) {
            if (eq != std::string::npos) out.values[name].push_back(a.substr(eq + 1));
            else if (i + 1 < args.size()) out.values[name].push_back(args[++i]);
            else fail(Exit::MissingArg, "option --" + name + " needs a value");
        } else {
            fail(Exit::UnsupportedOption, "unsupported option --" + name);
        }
    }
    return out;
}

namespace {

bool file_exists(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
}

Bytes read_fd(int fd, const std::string& what) {
    Bytes out;
    std::uint8_t buf[65536];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n == 0) break;
        if (n < 0) {
            if (errno == EINTR) continue;
            fail(Exit::MissingInput, "cannot read " + what + ": " + std::strerror(errno));
        }
        out.insert(out.end(), buf, buf + n);
    }
    return out;
}

void write_fd(int fd, ByteView data, const std::string& what) {
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) throw Error(Errc::Io, 0, "cannot write " + what + ": " + std::strerror(errno));
        done += static_cast<std::size_t>(n);
    }
}

/** The descriptor of "@FD:N", or -1 for a malformed number. */
int fd_number(std::string_view digits) {
    if (digits.empty() || digits.size() > 9) return -1;
    int n = 0;
    for (char c : digits) {
        if (c < '0' || c > '9') return -1;
        n = n * 10 + (c - '0');
    }
    return n;
}

}  // namespace

Bytes read_indirect(const std::string& spec) {
    if (!spec.empty() && spec[0] == '@') {
        if (file_exists(spec)) fail(Exit::AmbiguousInput, "\"" + spec + "\" is a special form and a file too");
        if (spec.rfind("@ENV:", 0) == 0) {
            const char* v = std::getenv(spec.c_str() + 5);
            if (!v) fail(Exit::MissingInput, "environment variable " + spec.substr(5) + " is not set");
            return Bytes(v, v + std::strlen(v));
        }
        if (spec.rfind("@FD:", 0) == 0) {
            const int fd = fd_number(std::string_view(spec).substr(4));
            if (fd < 0) fail(Exit::UnsupportedSpecialPrefix, "bad descriptor in " + spec);
            return read_fd(fd, spec);
        }
        fail(Exit::UnsupportedSpecialPrefix, "unsupported special form " + spec);
    }
    const int fd = ::open(spec.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) fail(Exit::MissingInput, "cannot open " + spec + ": " + std::strerror(errno));
    Bytes out = read_fd(fd, spec);
    ::close(fd);
    return out;
}

void check_output(const std::string& spec) {
    if (!spec.empty() && spec[0] == '@') {
        if (spec.rfind("@FD:", 0) == 0 && fd_number(std::string_view(spec).substr(4)) >= 0) return;
        fail(Exit::UnsupportedSpecialPrefix, "unsupported special form for an output: " + spec);
    }
    if (file_exists(spec)) fail(Exit::OutputExists, "output " + spec + " exists");
}

void write_indirect(const std::string& spec, ByteView data) {
    check_output(spec);
    if (spec[0] == '@') return write_fd(fd_number(std::string_view(spec).substr(4)), data, spec);
    const int fd = ::open(spec.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) fail(Exit::OutputExists, "cannot create " + spec + ": " + std::strerror(errno));
    write_fd(fd, data, spec);
    if (::close(fd) != 0) throw Error(Errc::Io, 0, "cannot write " + spec);
}

Bytes read_stdin() { return read_fd(0, "standard input"); }
void write_stdout(ByteView data) { write_fd(1, data, "standard output"); }
void write_stdout(const std::string& text) { write_stdout(as_bytes(text)); }

Bytes maybe_armor(ByteView data, bool binary) {
    if (binary) return Bytes(data.begin(), data.end());
    return armor::encode(data, armor::label_for(data), {});
}

std::vector<cert::Cert> parse_certs(ByteView data, const std::string& what) {
    std::vector<cert::Cert> out;
    try {
        out = cert::read_all_certs(data);
    } catch (const Error& e) {
        fail(Exit::BadData, what + ": " + e.what());
    }
    if (out.empty()) fail(Exit::BadData, what + ": no OpenPGP certificate or key");
    return out;
}

std::vector<cert::Cert> read_certs(const std::string& spec) {
    std::vector<cert::Cert> out;
    for (cert::Cert& c : parse_certs(read_indirect(spec), spec)) out.push_back(c.secret() ? cert::public_part(c) : std::move(c));
    return out;
}

std::vector<cert::Tsk> read_keys(const std::string& spec) {
    std::vector<cert::Tsk> out = parse_certs(read_indirect(spec), spec);
    for (const cert::Tsk& t : out)
        if (!t.secret()) fail(Exit::BadData, spec + ": a certificate where a secret key is expected");
    return out;
}

std::vector<cert::Cert> read_all_certs(const std::vector<std::string>& specs) {
    std::vector<cert::Cert> out;
    for (const std::string& s : specs)
        for (cert::Cert& c : read_certs(s)) out.push_back(std::move(c));
    return out;
}

std::vector<cert::Tsk> read_all_keys(const std::vector<std::string>& specs) {
    std::vector<cert::Tsk> out;
    for (const std::string& s : specs)
        for (cert::Tsk& t : read_keys(s)) out.push_back(std::move(t));
    return out;
}

namespace {

bool trailing_space(std::uint8_t c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

SecretBytes trimmed(const Bytes& b) {
    std::size_t n = b.size();
    while (n > 0 && trailing_space(b[n - 1])) --n;
    return SecretBytes(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(n));
}

}  // namespace

std::vector<SecretBytes> read_passwords(const std::vector<std::string>& specs) {
    std::vector<SecretBytes> out;
    for (const std::string& s : specs) {
        Bytes raw = read_indirect(s);
        SecretBytes t = trimmed(raw);
        out.emplace_back(raw.begin(), raw.end());
        if (t.size() != raw.size()) out.push_back(std::move(t));
        wipe(raw.data(), raw.size());
    }
    return out;
}

SecretBytes read_new_password(const std::string& spec) {
    Bytes raw = read_indirect(spec);
    SecretBytes t = trimmed(raw);
    wipe(raw.data(), raw.size());
    if (!is_utf8(t)) fail(Exit::PasswordNotHumanReadable, "password in " + spec + " is not UTF-8");
    return t;
}

bool is_utf8(ByteView d) noexcept {
    std::size_t i = 0;
    while (i < d.size()) {
        const std::uint8_t c = d[i];
        std::size_t n = 0;
        std::uint32_t cp = 0;
        if (c < 0x80) { ++i; continue; }
        if ((c & 0xE0) == 0xC0) { n = 1; cp = c & 0x1F; }
        else if ((c & 0xF0) == 0xE0) { n = 2; cp = c & 0x0F; }
        else if ((c & 0xF8) == 0xF0) { n = 3; cp = c & 0x07; }
        else return false;
        for (std::size_t k = 1; k <= n; ++k) {
            if (i + k >= d.size() || (d[i + k] & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (d[i + k] & 0x3F);
        }
        // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
        if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000)) return false;
        if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return false;
        i += n + 1;
    }
    return true;
}

std::uint32_t now() {
    if (const char* fixed = std::getenv("PGPKIT_SOP_NOW")) return static_cast<std::uint32_t>(std::strtoul(fixed, nullptr, 10));
    return static_cast<std::uint32_t>(::time(nullptr));
}

std::uint32_t parse_date_arg(const std::string& text, std::uint32_t dash) {
    if (text == "-") return dash;
    if (text == "now") return now();
    std::string t = text;
    if (!t.empty() && (t.back() == 'Z' || t.back() == 'z')) t.pop_back();
    const std::optional<std::int64_t> v = parse_utc_time(t);
    if (!v || *v < 0 || *v > 0xFFFFFFFFll) fail(Exit::UnsupportedOption, "not a date: " + text);
    return static_cast<std::uint32_t>(*v);
}

TimeWindow window_of(const Args& a, const std::string& before_opt, const std::string& after_opt) {
    TimeWindow w;
    w.not_before = parse_date_arg(a.value(before_opt).value_or("-"), 0);
    w.not_after = parse_date_arg(a.value(after_opt).value_or("now"), 0xFFFFFFFFu);
    return w;
}

std::string verification_lines(const message::VerifyResult& r, const TimeWindow& w) {
    std::string out;
    for (const message::SignatureReport& s : r.sigs) {
        if (!s.fully_good() || !s.sig || s.created < w.not_before || s.created > w.not_after) continue;
        const bool text = s.sig->sig_type == packet::SigType::Text;
        out += format_iso8601(s.created) + " " + s.key_fpr + " " + s.primary_fpr + " mode:" +
               (text ? "text" : "binary") + "\n";
    }
    return out;
}

std::string resolve_profile(const std::string& name, const std::string& default_name) {
    return name == "default" ? default_name : name;
}

}  // namespace pgpkit::cli::sop
