#include "core/tls/dev_names.h"

#include "core/tls/certificate_builder.h"
#include "core/tls/openssl_error.h"

#include <algorithm>
#include <vector>

namespace portico::tls {

namespace {

const QByteArray loopbackV4 = QByteArray::fromHex("7f000000");
const QByteArray loopbackV4Mask = QByteArray::fromHex("ff000000");
const QByteArray loopbackV6 = QByteArray::fromHex("00000000000000000000000000000001");
const QByteArray hostMaskV6(16, '\xff');

bool looksLikeIp(const QString &text)
{
    if (text.contains(u':'))
        return true;
    for (const QChar c : text) {
        if (c != u'.' && !c.isDigit())
            return false;
    }
    return true;
}

// RFC 1123 §2.1 host labels; `_` is tolerated because container names often carry it and
// browsers accept it in host names.
bool isValidLabel(QStringView label, bool allowUnderscore)
{
    if (label.isEmpty() || label.size() > 63 || label.startsWith(u'-') || label.endsWith(u'-'))
        return false;
    for (const QChar c : label) {
        const bool ok = (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'-'
            || (allowUnderscore && c == u'_');
        if (!ok)
            return false;
    }
    return true;
}

bool isValidDnsName(const QString &name, bool allowUnderscore)
{
    if (name.isEmpty() || name.size() > 253)
        return false;
    for (const QStringView label : QStringView(name).split(u'.')) {
        if (!isValidLabel(label, allowUnderscore))
            return false;
    }
    return true;
}

Expected<DevName> parseIp(const QString &text)
{
    const Asn1OctetStringPtr octets(a2i_IPADDRESS(text.toLatin1().constData()));
    if (!octets) {
        return Error { QStringLiteral("\"%1\" is not a valid IP address").arg(text), {}, {} };
    }
    const QByteArray bytes(reinterpret_cast<const char *>(ASN1_STRING_get0_data(octets.get())),
        ASN1_STRING_length(octets.get()));
    return DevName { ipToText(bytes), bytes };
}

bool inRange(const QByteArray &ip, const NamePolicy::IpRange &range)
{
    if (ip.size() != range.address.size())
        return false;
    for (qsizetype i = 0; i < ip.size(); ++i) {
        if ((ip[i] & range.mask[i]) != (range.address[i] & range.mask[i]))
            return false;
    }
    return true;
}

// RFC 5280 §4.2.1.10: a constraint `s` is satisfied by `s` and by any name with labels added on
// the left; `.s` (the common leading-period form) only by names strictly below `s`.
bool dnsMatches(const QString &name, const QString &constraint)
{
    if (constraint.startsWith(u'.'))
        return name.size() > constraint.size() && name.endsWith(constraint);
    return name == constraint || name.endsWith(u'.' + constraint);
}

int prefixLength(const QByteArray &mask)
{
    int bits = 0;
    for (const char byte : mask)
        bits += __builtin_popcount(static_cast<unsigned char>(byte));
    return bits;
}

} // namespace

QString ipToText(const QByteArray &octets)
{
    const auto *b = reinterpret_cast<const unsigned char *>(octets.constData());
    if (octets.size() == 4)
        return QStringLiteral("%1.%2.%3.%4").arg(b[0]).arg(b[1]).arg(b[2]).arg(b[3]);
    Q_ASSERT(octets.size() == 16);
    int groups[8];
    for (int i = 0; i < 8; ++i)
        groups[i] = (b[2 * i] << 8) | b[2 * i + 1];
    // RFC 5952 §4.2: compress the longest run (first on a tie) of two or more zero groups.
    int bestStart = -1, bestLength = 1;
    for (int i = 0; i < 8;) {
        int j = i;
        while (j < 8 && groups[j] == 0)
            ++j;
        if (j - i > bestLength) {
            bestStart = i;
            bestLength = j - i;
        }
        i = j > i ? j : i + 1;
    }
    QString out;
    for (int i = 0; i < 8; ++i) {
        if (i == bestStart) {
            out += QStringLiteral("::");
            i += bestLength - 1;
            continue;
        }
        if (!out.isEmpty() && !out.endsWith(u':'))
            out += u':';
        out += QString::number(groups[i], 16);
    }
    return out;
}

Expected<DevName> parseDevName(const QString &raw)
{
    QString text = raw.trimmed().toLower();
    if (text.startsWith(u'[') && text.endsWith(u']'))
        text = text.mid(1, text.size() - 2);
    if (text.endsWith(u'.'))
        text.chop(1);
    if (text.isEmpty())
        return Error { QStringLiteral("empty certificate name"), {}, {} };
    if (text.contains(u'*')) {
        return Error { QStringLiteral("wildcard \"%1\" cannot be issued").arg(raw), {},
            QStringLiteral("browsers reject wildcards under localhost; Portico issues one "
                           "certificate per exact name") };
    }
    if (looksLikeIp(text))
        return parseIp(text);
    if (!isValidDnsName(text, true)) {
        return Error { QStringLiteral("\"%1\" is not a valid host name").arg(raw), {},
            QStringLiteral("use letters, digits and hyphens; write international names "
                           "in their xn-- form") };
    }
    return DevName { text, {} };
}

QStringList builtinDevSuffixes()
{
    return { QStringLiteral("localhost"), QStringLiteral("test") };
}

Expected<QString> parseDevSuffix(const QString &raw)
{
    QString text = raw.trimmed().toLower();
    if (text.startsWith(QLatin1String("*.")))
        text.remove(0, 1);
    if (text.startsWith(u'.'))
        text.remove(0, 1);
    if (!isValidDnsName(text, false)) {
        return Error { QStringLiteral("\"%1\" is not a valid domain suffix").arg(raw), {},
            QStringLiteral("write a suffix such as \"internal\" or \"dev.example\"") };
    }
    return text;
}

NamePolicy NamePolicy::forSuffixes(const QStringList &extraSuffixes)
{
    NamePolicy policy;
    QStringList suffixes = builtinDevSuffixes() + extraSuffixes;
    suffixes.removeDuplicates();
    // Both forms: every verifier we know treats `s` as "s and below", but the leading-period form
    // is what some older verifiers expect for subdomains; permitted subtrees are a union.
    for (const QString &suffix : std::as_const(suffixes))
        policy.m_dnsConstraints << suffix << u'.' + suffix;
    policy.m_ipRanges = { { loopbackV4, loopbackV4Mask }, { loopbackV6, hostMaskV6 } };
    return policy;
}

std::optional<NamePolicy> NamePolicy::fromCertificate(X509 *certificate)
{
    const NameConstraintsPtr nc(static_cast<NAME_CONSTRAINTS *>(
        X509_get_ext_d2i(certificate, NID_name_constraints, nullptr, nullptr)));
    if (!nc)
        return std::nullopt;
    NamePolicy policy;
    for (int i = 0; i < sk_GENERAL_SUBTREE_num(nc->permittedSubtrees); ++i) {
        const GENERAL_NAME *base = sk_GENERAL_SUBTREE_value(nc->permittedSubtrees, i)->base;
        if (base->type == GEN_DNS) {
            const ASN1_STRING *s = base->d.dNSName;
            policy.m_dnsConstraints << QString::fromLatin1(
                reinterpret_cast<const char *>(ASN1_STRING_get0_data(s)), ASN1_STRING_length(s))
                                           .toLower();
        } else if (base->type == GEN_IPADD) {
            const ASN1_STRING *s = base->d.iPAddress;
            const QByteArray bytes(
                reinterpret_cast<const char *>(ASN1_STRING_get0_data(s)), ASN1_STRING_length(s));
            const qsizetype half = bytes.size() / 2;
            policy.m_ipRanges << IpRange { bytes.left(half), bytes.mid(half) };
        }
    }
    return policy;
}

bool NamePolicy::permits(const DevName &name) const
{
    if (name.isIp()) {
        return std::any_of(m_ipRanges.cbegin(), m_ipRanges.cend(),
            [&](const IpRange &r) { return inRange(name.ipOctets, r); });
    }
    return std::any_of(m_dnsConstraints.cbegin(), m_dnsConstraints.cend(),
        [&](const QString &c) { return dnsMatches(name.text, c); });
}

Expected<void> NamePolicy::check(const DevName &name) const
{
    if (permits(name))
        return {};
    return Error { QStringLiteral("\"%1\" is not a development name: Portico's CA may only sign %2")
                       .arg(name.text, describe()),
        {}, QStringLiteral("use one of those or add a suffix in tls.extraSuffixes") };
}

Expected<NameConstraintsPtr> NamePolicy::toNameConstraints() const
{
    NameConstraintsPtr nc(NAME_CONSTRAINTS_new());
    if (!nc || !(nc->permittedSubtrees = sk_GENERAL_SUBTREE_new_null()))
        return opensslError(QStringLiteral("cannot allocate name constraints"));
    std::vector<GeneralNamePtr> names;
    for (const QString &dns : m_dnsConstraints)
        names.push_back(dnsGeneralName(dns.toLatin1()));
    for (const IpRange &range : m_ipRanges)
        names.push_back(ipGeneralName(range.address + range.mask));
    for (GeneralNamePtr &name : names) {
        GeneralSubtreePtr subtree(GENERAL_SUBTREE_new());
        if (!name || !subtree)
            return opensslError(QStringLiteral("cannot allocate name constraints"));
        GENERAL_NAME_free(subtree->base);
        subtree->base = name.release();
        if (!sk_GENERAL_SUBTREE_push(nc->permittedSubtrees, subtree.get()))
            return opensslError(QStringLiteral("cannot allocate name constraints"));
        subtree.release();
    }
    return nc;
}

QString NamePolicy::describe() const
{
    QStringList parts;
    const auto add = [&parts](const QString &item) {
        if (!parts.contains(item))
            parts << item;
    };
    for (const QString &c : m_dnsConstraints) {
        // `localhost` is the one bare name people browse to; other bare suffixes are not hosts.
        if (c == QLatin1String("localhost"))
            add(c);
        add(c.startsWith(u'.') ? u'*' + c : QStringLiteral("*.") + c);
    }
    for (const IpRange &r : m_ipRanges) {
        const int bits = prefixLength(r.mask);
        const bool host = bits == r.mask.size() * 8;
        parts << (host ? ipToText(r.address) : ipToText(r.address) + u'/' + QString::number(bits));
    }
    return parts.join(QStringLiteral(", "));
}

} // namespace portico::tls
