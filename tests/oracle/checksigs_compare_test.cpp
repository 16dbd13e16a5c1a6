// The check-sigs oracle's model: parsers for both sides and the comparison
// (checksigs_compare.h), and tests of them on fixed text, so a change in gpg's output
// or in our JSON shows up here before it shows up as an oracle mismatch.

#include "tests/oracle/checksigs_compare.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "crypto/hash.h"
#include "tests/support/env.h"

namespace pgpkit::test::checksigs {

using nlohmann::json;

const char* state_name(State s) {
    switch (s) {
        case State::Valid: return "valid";
        case State::Expired: return "expired";
        case State::Revoked: return "revoked";
        case State::Invalid: return "invalid";
    }
    return "?";
}

namespace {

std::string upper(std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string hex_upper(const std::vector<std::uint8_t>& b) {
    static const char* digits = "0123456789ABCDEF";
    std::string s;
    for (std::uint8_t x : b) {
        s += digits[x >> 4];
        s += digits[x & 15];
    }
    return s;
}

std::vector<std::uint8_t> unhex(const std::string& h) {
    std::vector<std::uint8_t> out;
    for (std::size_t i = 0; i + 1 < h.size(); i += 2) {
        out.push_back(static_cast<std::uint8_t>(std::stoi(h.substr(i, 2), nullptr, 16)));
    }
    return out;
}

std::string date(long long t) {
    std::time_t tt = static_cast<std::time_t>(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
    return buf;
}

/** Field 2 of a pub/sub/uid/uat record, reduced to what is defined without trust. */
State gpg_state(const std::string& f) {
    if (f == "i") return State::Invalid;
    if (f == "r") return State::Revoked;
    if (f == "e") return State::Expired;
    return State::Valid;
}

State our_state(const json& validity) {
    const std::string s = validity.is_object() ? validity.value("state", std::string("?")) : "?";
    if (s == "valid") return State::Valid;
    if (s == "expired") return State::Expired;
    if (s == "revoked") return State::Revoked;
    if (s == "invalid") return State::Invalid;
    throw std::runtime_error("unknown validity state '" + s + "'");
}

std::string field(const std::vector<std::string>& f, std::size_t i) { return i < f.size() ? f[i] : std::string(); }

long long to_ll(const std::string& s) { return s.empty() ? 0 : std::stoll(s); }

}  // namespace

std::string gpg_unescape(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 3 < s.size() && s[i + 1] == 'x' && std::isxdigit(static_cast<unsigned char>(s[i + 2])) &&
            std::isxdigit(static_cast<unsigned char>(s[i + 3]))) {
            out += static_cast<char>(std::stoi(s.substr(i + 2, 2), nullptr, 16));
            i += 3;
        } else {
            out += s[i];
        }
    }
    return out;
}

Listing parse_gpg_colons(const std::string& text) {
    Listing l;
    std::string cert, comp, pending;  // pending: "pub"/"sub" record waiting for its fpr
    State pending_state = State::Valid;
    char pending_letter = 0;
    for (const std::string& line : non_empty_lines(text)) {
        const std::vector<std::string> f = split(line, ':');
        const std::string& rec = f[0];
        if (rec == "pub" || rec == "sec" || rec == "sub" || rec == "ssb") {
            pending = (rec == "pub" || rec == "sec") ? "pub" : "sub";
            pending_state = gpg_state(field(f, 1));
            pending_letter = field(f, 1).empty() ? ' ' : field(f, 1)[0];
            if (pending == "pub") ++l.certs;
        } else if (rec == "fpr" && !pending.empty()) {
            const std::string fpr = upper(field(f, 9));
            if (pending == "pub") {
                cert = fpr;
                comp = "primary";
            } else {
                comp = "sub:" + fpr;
            }
            l.components.push_back({cert, comp, fpr, pending_state, pending_letter});
            pending.clear();
        } else if (rec == "uid" || rec == "uat") {
            comp = "uid:" + upper(field(f, 7));
            const std::string t = rec == "uid" ? gpg_unescape(field(f, 9)) : "[uat " + field(f, 9) + "]";
            const char letter = field(f, 1).empty() ? ' ' : field(f, 1)[0];
            l.components.push_back({cert, comp, t, gpg_state(field(f, 1)), letter});
        } else if (rec == "sig" || rec == "rev") {
            Sig s;
            s.cert = cert;
            s.component = comp;
            s.marker = field(f, 1);
            s.issuer = upper(field(f, 4));
            s.created = to_ll(field(f, 5));
            s.sigclass = lower(field(f, 10).substr(0, 2));
            s.context = "gpg: '" + gpg_unescape(field(f, 9)) + "' class field '" + field(f, 10) + "'";
            if (!field(f, 12).empty()) s.context += " issuer fpr " + field(f, 12);
            l.sigs.push_back(std::move(s));
        }
    }
    return l;
}

namespace {

std::string our_issuer(const json& sig) {
    if (sig.contains("issuer_keyid") && sig["issuer_keyid"].is_string()) return upper(sig["issuer_keyid"]);
    if (sig.contains("issuer_fingerprint") && sig["issuer_fingerprint"].is_string()) {
        const std::string fpr = upper(sig["issuer_fingerprint"]);
        // v4: the low 64 bits; v5/v6 (32 octets): the high 64 bits.
        return fpr.size() == 40 ? fpr.substr(24) : fpr.substr(0, 16);
    }
    return "0000000000000000";
}

void add_our_sigs(Listing& l, const json& sigs, const std::string& cert, const std::string& comp) {
    if (!sigs.is_array()) throw std::runtime_error("\"signatures\" is not an array under " + cert + " " + comp);
    for (const json& s : sigs) {
        Sig out;
        out.cert = cert;
        out.component = comp;
        out.sigclass = lower(s.at("sigclass").get<std::string>());
        out.issuer = our_issuer(s);
        out.created = s.contains("created") && s["created"].is_number() ? s["created"].get<long long>() : 0;
        out.marker = s.at("marker").get<std::string>();
        std::ostringstream ctx;
        ctx << "ours: verdict " << s.value("verdict", json()).dump() << " crypto " << s.value("crypto", json()).dump()
            << " reason " << s.value("crypto_reason", json()).dump() << " policy " << s.value("policy", json()).dump()
            << " hash " << s.value("hash_algo", json()).dump() << " offset " << s.value("offset", json()).dump();
        out.context = ctx.str();
        l.sigs.push_back(std::move(out));
    }
}

}  // namespace

Listing parse_ours_json(const std::string& text) {
    const json doc = json::parse(text);
    if (!doc.is_array()) throw std::runtime_error("pgpkit check-sigs --json did not print an array");
    Listing l;
    for (const json& c : doc) {
        ++l.certs;
        const std::string cert = upper(c.at("fingerprint").get<std::string>());
        const State cert_state = our_state(c.at("validity"));
        l.components.push_back({cert, "primary", cert, cert_state, 0});
        add_our_sigs(l, c.at("signatures"), cert, "primary");
        for (const json& u : c.at("user_ids")) {
            const std::vector<std::uint8_t> raw = unhex(u.at("value_hex").get<std::string>());
            const std::string comp = "uid:" + hex_upper(crypto::digest(crypto::HashKind::Ripemd160, raw));
            const bool uat = u.value("kind", std::string()) == "uat";
            const std::string t = uat ? "[uat index " + u.value("index", json()).dump() + "]"
                                      : std::string(raw.begin(), raw.end());
            l.components.push_back({cert, comp, t, our_state(u.at("validity")), 0});
            add_our_sigs(l, u.at("signatures"), cert, comp);
        }
        for (const json& k : c.at("subkeys")) {
            const std::string fpr = upper(k.at("fingerprint").get<std::string>());
            l.components.push_back({cert, "sub:" + fpr, fpr, our_state(k.at("validity")), 0});
            add_our_sigs(l, k.at("signatures"), cert, "sub:" + fpr);
        }
    }
    return l;
}

namespace {

std::string sig_key(const Sig& s) {
    return s.cert + "|" + s.component + "|" + s.sigclass + "|" + s.issuer + "|" + std::to_string(s.created);
}

std::string comp_key(const std::string& cert, const std::string& comp) { return cert + "|" + comp; }

/** "cert X, uid 'text': class 10 by ISSUER at DATE" */
std::string where(const Sig& s, const std::map<std::string, std::string>& texts) {
    auto it = texts.find(comp_key(s.cert, s.component));
    std::string comp = s.component == "primary" ? "primary key" : s.component.rfind("sub:", 0) == 0 ? "subkey " + s.component.substr(4) : "user ID";
    if (it != texts.end() && s.component.rfind("uid:", 0) == 0) comp += " '" + it->second + "'";
    return "cert " + s.cert + ", " + comp + ": sig class " + s.sigclass + " by " + s.issuer + " at " + date(s.created);
}

int rank(State s) {
    switch (s) {
        case State::Valid: return 0;
        case State::Expired: return 1;
        case State::Revoked: return 2;
        case State::Invalid: return 3;
    }
    return 0;
}

/**
 * What gpg's field 2 shows for our component, from our own states: a subkey shows the
 * worse of its state and the primary key's (gpg marks the subkeys of an invalid, revoked
 * or expired primary the same); a user ID shows its own revocation/expiry, else the key's.
 */
State expected_gpg_state(const Component& c, const std::map<std::string, State>& cert_states) {
    if (c.component == "primary") return c.state;
    const State cert = cert_states.at(c.cert);
    if (c.component.rfind("sub:", 0) == 0) return rank(c.state) >= rank(cert) ? c.state : cert;
    return c.state != State::Valid ? c.state : cert;
}

void compare_components(const Listing& gpg, const Listing& ours, Report& r) {
    std::map<std::string, const Component*> g;
    for (const Component& c : gpg.components) g[comp_key(c.cert, c.component)] = &c;
    std::map<std::string, State> cert_states;
    for (const Component& c : ours.components) {
        if (c.component == "primary") cert_states[c.cert] = c.state;
    }
    for (const Component& c : ours.components) {
        auto it = g.find(comp_key(c.cert, c.component));
        if (it == g.end()) {
            ++r.components_gpg_dropped;
            continue;
        }
        ++r.components_compared;
        const State want = expected_gpg_state(c, cert_states);
        if (want != it->second->state) {
            r.validity_mismatches.push_back("cert " + c.cert + ", " + c.component + " '" + c.text + "': ours " +
                                            state_name(c.state) + " (as gpg would show: " + state_name(want) +
                                            ") vs gpg field 2 '" + std::string(1, it->second->gpg_letter) + "' (" +
                                            state_name(it->second->state) + ")");
        }
    }
}

}  // namespace

Report compare(const Listing& gpg, const Listing& ours) {
    Report r;
    r.gpg_sigs = gpg.sigs.size();
    r.our_sigs = ours.sigs.size();
    std::map<std::string, std::vector<const Sig*>> g, o;
    for (const Sig& s : gpg.sigs) g[sig_key(s)].push_back(&s);
    for (const Sig& s : ours.sigs) o[sig_key(s)].push_back(&s);
    std::set<std::string> gpg_components;
    std::map<std::string, std::string> texts;
    for (const Component& c : gpg.components) gpg_components.insert(comp_key(c.cert, c.component));
    for (const Component& c : ours.components) texts[comp_key(c.cert, c.component)] = c.text;

    for (auto& [key, gl] : g) {
        std::vector<const Sig*> ol = o.count(key) ? o[key] : std::vector<const Sig*>{};
        std::vector<const Sig*> grest;
        for (const Sig* s : gl) {  // same key and marker: agreement
            auto it = std::find_if(ol.begin(), ol.end(), [&](const Sig* x) { return x->marker == s->marker; });
            if (s->marker.empty() && !ol.empty()) it = ol.begin();
            if (it == ol.end()) {
                grest.push_back(s);
                continue;
            }
            if (s->marker.empty()) {
                ++r.gpg_unchecked;
            } else {
                ++r.agree;
                ++r.agree_by_marker[s->marker];
            }
            ol.erase(it);
        }
        for (const Sig* s : grest) {
            if (!ol.empty()) {
                r.mismatches.push_back(where(*s, texts) + ": ours '" + ol.front()->marker + "' vs gpg '" + s->marker +
                                       "'\n      " + ol.front()->context + "\n      " + s->context);
                ol.erase(ol.begin());
            } else {
                ++r.gpg_only;
                r.gpg_only_list.push_back(where(*s, texts) + ": gpg '" + s->marker + "', not in ours; " + s->context);
            }
        }
        o[key] = ol;
    }
    for (const auto& [key, ol] : o) {
        for (const Sig* s : ol) {
            const bool kept = gpg_components.count(comp_key(s->cert, s->component)) != 0;
            (kept ? r.ours_dropped_sig : r.ours_dropped_component)++;
            ++r.ours_only_by_marker[std::string(kept ? "sig dropped '" : "component dropped '") + s->marker + "'"];
            r.ours_only_list.push_back(where(*s, texts) + (kept ? " (gpg dropped the signature)" : " (gpg dropped the component)") +
                                       ": ours '" + s->marker + "'; " + s->context);
        }
    }
    compare_components(gpg, ours, r);
    return r;
}

std::string Report::summary() const {
    std::ostringstream os;
    os << "  sigs gpg " << gpg_sigs << " ours " << our_sigs << " | agree " << agree << " (";
    const char* sep = "";
    for (const auto& [m, n] : agree_by_marker) {
        os << sep << m << " " << n;
        sep = ", ";
    }
    os << ") | MISMATCH " << mismatches.size() << " | ONLY GPG " << gpg_only << " | gpg unchecked "
       << gpg_unchecked << " | only ours " << ours_dropped_component + ours_dropped_sig << " (component dropped by gpg "
       << ours_dropped_component << ", sig dropped by gpg " << ours_dropped_sig << ")\n";
    if (!ours_only_by_marker.empty()) {
        os << "  only ours by marker:";
        sep = " ";
        for (const auto& [what, n] : ours_only_by_marker) {
            os << sep << what << " " << n;
            sep = "; ";
        }
        os << "\n";
    }
    os << "  components compared " << components_compared << ", dropped by gpg " << components_gpg_dropped
       << ", VALIDITY MISMATCH " << validity_mismatches.size() << "\n";
    return os.str();
}

std::string Report::details(std::size_t limit) const {
    std::ostringstream os;
    auto section = [&](const char* title, const std::vector<std::string>& v) {
        if (v.empty()) return;
        os << title << " (" << v.size() << "):\n";
        for (std::size_t i = 0; i < v.size() && i < limit; ++i) os << "  " << v[i] << "\n";
        if (v.size() > limit) os << "  ... " << v.size() - limit << " more\n";
    };
    section("MARKER MISMATCHES", mismatches);
    section("LISTED BY GPG, NOT BY US", gpg_only_list);
    section("VALIDITY MISMATCHES", validity_mismatches);
    section("listed by us only (not failures)", ours_only_list);
    return os.str();
}

}  // namespace pgpkit::test::checksigs

namespace pgpkit::test::checksigs {
namespace {

// gpg 2.2 --with-colons --fixed-list-mode --check-sigs --trust-model always, abridged:
// a revoked user ID with its revocation (rev), a third-party certification whose
// issuer is missing (?), a rejected one (%), an expired subkey.
const char* const gpg_sample =
    "tru:t:1:1796112153:0:3:1:5\n"
    "pub:-:2048:1:D11B5C484CFA84F7:1483228800:::-:::scSC::::::23::0:\n"
    "fpr:::::::::8588B479EA1794D1E1D07ABDD11B5C484CFA84F7:\n"
    "uid:-::::1483228800::C9B127D57CCEE451DD685C0F2173C5954A7FFAD8::Old \\x3a1 <old@oracle.test>::::::::::0:\n"
    "sig:!::1:D11B5C484CFA84F7:1483228800::::Old <old@oracle.test>:13x::8588B479EA1794D1E1D07ABDD11B5C484CFA84F7:::10:\n"
    "sig:?::1:9C5C99EB05BD750A:1554576991:::::10x::58B66D48736BE93B052DE6729C5C99EB05BD750A:::8:\n"
    "sig:%::1:2E7C0367B9BFA089:1552990261::::[Invalid digest algorithm] :10x:::::2:\n"
    "uid:r::::::A88FB95ABC3E7A3261497BA4AEBC063057CA0FFC::Old two <two@oracle.test>::::::::::0:\n"
    "rev:!::1:D11B5C484CFA84F7:1369572251::::Old <old@oracle.test>:30x,20:::::8:\n"
    "sub:e:2048:1:8CA94B5621A6F3C9:1514764800:1546300800:::::e::::::23:\n"
    "fpr:::::::::0123456789ABCDEF0123456789ABCDEF01234567:\n"
    "sig:!::1:D11B5C484CFA84F7:1514764800::::Old <old@oracle.test>:18x::8588B479EA1794D1E1D07ABDD11B5C484CFA84F7:::10:\n";

TEST(OracleCheckSigsParsers, GpgColonsGiveComponentsAndSignatures) {
    const Listing l = parse_gpg_colons(gpg_sample);
    EXPECT_EQ(l.certs, 1u);
    ASSERT_EQ(l.components.size(), 4u);
    EXPECT_EQ(l.components[0].component, "primary");
    EXPECT_EQ(l.components[0].cert, "8588B479EA1794D1E1D07ABDD11B5C484CFA84F7");
    EXPECT_EQ(l.components[1].component, "uid:C9B127D57CCEE451DD685C0F2173C5954A7FFAD8");
    EXPECT_EQ(l.components[1].text, "Old :1 <old@oracle.test>");
    EXPECT_EQ(l.components[2].state, State::Revoked);
    EXPECT_EQ(l.components[3].component, "sub:0123456789ABCDEF0123456789ABCDEF01234567");
    EXPECT_EQ(l.components[3].state, State::Expired);
    ASSERT_EQ(l.sigs.size(), 5u);
    EXPECT_EQ(l.sigs[1].marker, "?");
    EXPECT_EQ(l.sigs[1].issuer, "9C5C99EB05BD750A");
    EXPECT_EQ(l.sigs[1].created, 1554576991);
    EXPECT_EQ(l.sigs[1].sigclass, "10");
    EXPECT_EQ(l.sigs[2].marker, "%");
    EXPECT_EQ(l.sigs[3].sigclass, "30");  // "30x,20": the reason code is not part of the class
    EXPECT_EQ(l.sigs[3].component, "uid:A88FB95ABC3E7A3261497BA4AEBC063057CA0FFC");
    EXPECT_EQ(l.sigs[4].component, "sub:0123456789ABCDEF0123456789ABCDEF01234567");
}

TEST(OracleCheckSigsParsers, GpgUnescapeUndoesHexEscapes) {
    EXPECT_EQ(gpg_unescape("a\\x3ab\\x5c"), "a:b\\");
    EXPECT_EQ(gpg_unescape("no escapes \\x4"), "no escapes \\x4");
}

/** Our JSON for the same certificate, with the markers given (in gpg_sample's order). */
std::string ours_sample(const std::vector<std::string>& m, const std::string& sub_state = "expired") {
    auto sig = [](const std::string& cls, const std::string& issuer, long long t, const std::string& marker) {
        return "{\"sigclass\":\"" + cls + "\",\"issuer_keyid\":\"" + issuer + "\",\"issuer_fingerprint\":null," +
               "\"created\":" + std::to_string(t) + ",\"marker\":\"" + marker + "\",\"verdict\":\"good\"}";
    };
    // The user IDs' raw bytes (hex); their RIPEMD-160 is gpg's field 8 above for the
    // first one ("Old :1 <old@oracle.test>" is not the text that hash was made from, so
    // the test uses a known pair: the hash gpg printed for "Old <old@oracle.test>").
    const std::string uid1 = "4f6c64203c6f6c64406f7261636c652e746573743e";  // Old <old@oracle.test>
    const std::string uid2 = "4f6c642074776f203c74776f406f7261636c652e746573743e";
    return "[{\"fingerprint\":\"8588b479ea1794d1e1d07abdd11b5c484cfa84f7\",\"validity\":{\"state\":\"valid\"},"
           "\"signatures\":[],\"user_ids\":["
           "{\"kind\":\"uid\",\"index\":1,\"value_hex\":\"" + uid1 + "\",\"validity\":{\"state\":\"valid\"},"
           "\"signatures\":[" + sig("13", "D11B5C484CFA84F7", 1483228800, m[0]) + "," +
           sig("10", "9C5C99EB05BD750A", 1554576991, m[1]) + "," + sig("10", "2E7C0367B9BFA089", 1552990261, m[2]) +
           "]},{\"kind\":\"uid\",\"index\":5,\"value_hex\":\"" + uid2 + "\",\"validity\":{\"state\":\"revoked\"},"
           "\"signatures\":[" + sig("30", "D11B5C484CFA84F7", 1369572251, m[3]) + "]}],"
           "\"subkeys\":[{\"fingerprint\":\"0123456789ABCDEF0123456789ABCDEF01234567\",\"validity\":{\"state\":\"" +
           sub_state + "\"},\"signatures\":[" + sig("18", "D11B5C484CFA84F7", 1514764800, m[4]) + "]}]}]";
}

/** gpg_sample with the user ID hashes our side computes from the raw user IDs. */
std::string gpg_sample_with_our_hashes(const Listing& ours) {
    std::string g = gpg_sample;
    const std::string h1 = ours.components[1].component.substr(4), h2 = ours.components[2].component.substr(4);
    g.replace(g.find("C9B127D57CCEE451DD685C0F2173C5954A7FFAD8"), 40, h1);
    g.replace(g.find("A88FB95ABC3E7A3261497BA4AEBC063057CA0FFC"), 40, h2);
    return g;
}

TEST(OracleCheckSigsParsers, UserIdsAreKeyedByRipemd160OfTheirBytes) {
    // gpg printed C9B127D5... as field 8 of the uid "Old <old@oracle.test>".
    const Listing ours = parse_ours_json(ours_sample({"!", "?", "%", "!", "!"}));
    EXPECT_EQ(ours.components[1].component, "uid:C9B127D57CCEE451DD685C0F2173C5954A7FFAD8");
    EXPECT_EQ(ours.components[1].text, "Old <old@oracle.test>");
}

TEST(OracleCheckSigsParsers, AgreementMismatchAndMissingAreCounted) {
    const Listing ours_ok = parse_ours_json(ours_sample({"!", "?", "%", "!", "!"}));
    const Listing gpg = parse_gpg_colons(gpg_sample_with_our_hashes(ours_ok));
    const Report ok = compare(gpg, ours_ok);
    EXPECT_TRUE(ok.ok()) << ok.summary() << ok.details(10);
    EXPECT_EQ(ok.agree, 5u);
    EXPECT_EQ(ok.components_compared, 4u);

    const Report bad = compare(gpg, parse_ours_json(ours_sample({"!", "!", "%", "!", "!"}, "valid")));
    EXPECT_FALSE(bad.ok());
    EXPECT_EQ(bad.mismatches.size(), 1u) << bad.details(10);
    EXPECT_EQ(bad.validity_mismatches.size(), 1u) << bad.details(10);

    Listing fewer = ours_ok;
    fewer.sigs.pop_back();
    const Report missing = compare(gpg, fewer);
    EXPECT_EQ(missing.gpg_only, 1u);
    EXPECT_FALSE(missing.ok());

    Listing more = ours_ok;
    more.sigs.push_back(more.sigs.back());
    more.sigs.back().component = "uid:0000000000000000000000000000000000000000";
    const Report extra = compare(gpg, more);
    EXPECT_TRUE(extra.ok());
    EXPECT_EQ(extra.ours_dropped_component, 1u);
}

}  // namespace
}  // namespace pgpkit::test::checksigs
