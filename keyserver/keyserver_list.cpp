#include "keyserver/keyserver_list.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "base/atomic_file.h"
#include "base/error.h"

namespace pgpkit::keyserver {
namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c); });
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

std::vector<std::string_view> words(std::string_view s) {
    std::vector<std::string_view> out;
    while (!(s = trim(s)).empty()) {
        const std::size_t end = s.find_first_of(" \t");
        out.push_back(s.substr(0, end));
        if (end == std::string_view::npos) break;
        s.remove_prefix(end);
    }
    return out;
}

constexpr const char* header =
    "# pgpkit keyservers.conf: the keyservers `pgpkit keyserver` uses.\n"
    "# One server per line: URL [default] [vks]\n"
    "#   URL      hkp://host[:port] (port 11371), hkps://host[:port] (443, TLS verified),\n"
    "#            http://... or https://...\n"
    "#   default  the server used when no --keyserver is given (one line at most; without\n"
    "#            it the first line is the default, and hkps://keys.openpgp.org when the\n"
    "#            list is empty)\n"
    "#   vks      the server also speaks the VKS API of keys.openpgp.org\n"
    "# Lines starting with # are comments. `pgpkit keyserver add|remove|default` rewrite\n"
    "# this file (comments other than this header are not kept).\n";

}  // namespace

std::string normalize_keyserver_url(std::string_view url) {
    url = trim(url);
    std::string scheme = "hkps";
    const std::size_t sep = url.find("://");
    if (sep != std::string_view::npos) {
        scheme = lower(url.substr(0, sep));
        url.remove_prefix(sep + 3);
    }
    if (scheme != "hkp" && scheme != "hkps" && scheme != "http" && scheme != "https")
        throw Error(Errc::Usage, 0, "keyserver URL scheme '" + scheme + "' is not hkp, hkps, http or https");
    while (!url.empty() && url.back() == '/') url.remove_suffix(1);
    if (url.find_first_of("?#") != std::string_view::npos)
        throw Error(Errc::Usage, 0, "keyserver URL has a query or fragment: " + std::string(url));
    if (url.find_first_of(" \t\r\n") != std::string_view::npos)
        throw Error(Errc::Usage, 0, "keyserver URL has white space: " + std::string(url));
    const std::size_t slash = url.find('/');
    std::string host = lower(url.substr(0, slash));
    if (host.empty() || host.front() == ':') throw Error(Errc::Usage, 0, "keyserver URL has no host");
    std::string out = scheme + "://" + host;
    if (slash != std::string_view::npos) out += url.substr(slash);
    return out;
}

KeyserverList KeyserverList::load(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        if (errno == ENOENT) return {};
        throw Error(Errc::Io, 0, "cannot read " + path + ": " + std::strerror(errno));
    }
    std::stringstream ss;
    ss << in.rdbuf();
    if (in.bad()) throw Error(Errc::Io, 0, "cannot read " + path);
    return parse(ss.str(), path);
}

KeyserverList KeyserverList::parse(std::string_view text, const std::string& name) {
    KeyserverList list;
    bool have_default = false;
    std::size_t n = 0;
    while (!text.empty()) {
        const std::size_t nl = text.find('\n');
        const std::string_view line = trim(text.substr(0, nl));
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        ++n;
        if (line.empty() || line.front() == '#') continue;
        const auto fail = [&](const std::string& why) {
            return Error(Errc::BadField, 0, name + " line " + std::to_string(n) + ": " + why);
        };
        const auto w = words(line);
        KeyserverEntry e;
        try {
            e.url = normalize_keyserver_url(w[0]);
        } catch (const Error& err) {
            throw fail(err.detail());
        }
        bool is_default = false;
        for (std::size_t i = 1; i < w.size(); ++i) {
            if (w[i] == "default") is_default = true;
            else if (w[i] == "vks") e.vks = true;
            else throw fail("unknown marker '" + std::string(w[i]) + "' (default or vks)");
        }
        if (is_default && have_default) throw fail("a second default");
        if (std::any_of(list.m_entries.begin(), list.m_entries.end(),
                        [&](const KeyserverEntry& x) { return x.url == e.url; }))
            throw fail(e.url + " is listed twice");
        if (is_default) {
            have_default = true;
            list.m_default = list.m_entries.size();
        }
        list.m_entries.push_back(std::move(e));
    }
    return list;
}

std::string KeyserverList::text() const {
    std::string out = header;
    for (std::size_t i = 0; i < m_entries.size(); ++i) {
        out += m_entries[i].url;
        if (i == m_default) out += " default";
        if (m_entries[i].vks) out += " vks";
        out += '\n';
    }
    return out;
}

void KeyserverList::save(const std::string& path) const {
    const std::string t = text();
    write_file_atomically(path, ByteView(reinterpret_cast<const std::uint8_t*>(t.data()), t.size()));
}

KeyserverEntry KeyserverList::default_server() const {
    if (m_entries.empty()) return KeyserverEntry{std::string(builtin_keyserver), false};
    return m_entries[m_default];
}

std::vector<KeyserverEntry> KeyserverList::in_order() const {
    std::vector<KeyserverEntry> out{default_server()};
    for (std::size_t i = 0; i < m_entries.size(); ++i)
        if (i != m_default) out.push_back(m_entries[i]);
    return out;
}

KeyserverEntry KeyserverList::lookup(std::string_view url) const {
    const std::string u = normalize_keyserver_url(url);
    for (const auto& e : m_entries)
        if (e.url == u) return e;
    return KeyserverEntry{u, false};
}

bool KeyserverList::add(std::string_view url, bool vks) {
    const std::string u = normalize_keyserver_url(url);
    for (auto& e : m_entries) {
        if (e.url != u) continue;
        if (e.vks == vks) return false;
        e.vks = vks;
        return true;
    }
    m_entries.push_back(KeyserverEntry{u, vks});
    return true;
}

bool KeyserverList::remove(std::string_view url) {
    const std::string u = normalize_keyserver_url(url);
    const auto it = std::find_if(m_entries.begin(), m_entries.end(), [&](const KeyserverEntry& e) { return e.url == u; });
    if (it == m_entries.end()) return false;
    const auto i = static_cast<std::size_t>(it - m_entries.begin());
    m_entries.erase(it);
    if (i == m_default) m_default = 0;
    else if (i < m_default) --m_default;
    return true;
}

void KeyserverList::set_default(std::string_view url) {
    const std::string u = normalize_keyserver_url(url);
    for (std::size_t i = 0; i < m_entries.size(); ++i) {
        if (m_entries[i].url == u) {
            m_default = i;
            return;
        }
    }
    m_entries.push_back(KeyserverEntry{u, false});
    m_default = m_entries.size() - 1;
}

}  // namespace pgpkit::keyserver
