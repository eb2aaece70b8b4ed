#include "core/middleware/options.h"

#include "core/common/suggest.h"

namespace portico::middleware {

namespace {

QString scalarText(const YAML::Node &node)
{
    return QString::fromStdString(node.Scalar());
}

Error typeError(const config::Node &node, const QString &expected)
{
    return node.error(QStringLiteral("expected %1").arg(expected));
}

} // namespace

Expected<Options> Options::read(
    const config::Node &node, const QString &kind, const QStringList &known)
{
    Options options;
    options.m_node = node;
    options.m_kind = kind;
    const YAML::Node &yaml = node.yaml();
    if (!yaml.IsDefined() || yaml.IsNull())
        return options;
    if (!yaml.IsMap())
        return node.error(QStringLiteral("%1 options must be a map").arg(kind));
    try {
        for (auto it = yaml.begin(); it != yaml.end(); ++it) {
            const QString key = scalarText(it->first);
            const QString path = node.path().isEmpty() ? key : node.path() + u'.' + key;
            const config::Node keyNode(it->first, node.file(), path);
            const auto match = std::find_if(known.begin(), known.end(),
                [&](const QString &k) { return k.compare(key, Qt::CaseInsensitive) == 0; });
            if (match == known.end()) {
                return keyNode.error(QStringLiteral("unknown %1 option \"%2\"").arg(kind, key),
                    didYouMean(key, known));
            }
            if (options.has(*match))
                return keyNode.error(QStringLiteral("duplicate %1 option \"%2\"").arg(kind, key));
            options.m_entries.emplace_back(*match, node.child(key, it->second));
        }
    } catch (const YAML::Exception &e) {
        return node.error(
            QStringLiteral("invalid %1 options: %2").arg(kind, QString::fromStdString(e.msg)));
    }
    return options;
}

Expected<void> Options::rejectUnsupported(const QStringList &unsupported) const
{
    for (const QString &key : unsupported) {
        if (has(key)) {
            return node(key).error(
                QStringLiteral("%1 option \"%2\" is not supported by portico yet")
                    .arg(m_kind, key));
        }
    }
    return {};
}

bool Options::has(const QString &key) const
{
    return std::any_of(
        m_entries.begin(), m_entries.end(), [&](const auto &e) { return e.first == key; });
}

config::Node Options::node(const QString &key) const
{
    for (const auto &entry : m_entries) {
        if (entry.first == key)
            return entry.second;
    }
    return m_node;
}

Expected<QString> Options::string(const QString &key, const QString &fallback) const
{
    if (!has(key))
        return fallback;
    const config::Node value = node(key);
    if (value.yaml().IsNull())
        return fallback;
    if (!value.yaml().IsScalar())
        return typeError(value, QStringLiteral("a string"));
    return scalarText(value.yaml());
}

Expected<bool> Options::boolean(const QString &key, bool fallback) const
{
    auto text = string(key);
    if (!text)
        return text.error();
    if (!has(key) || text->isEmpty())
        return fallback;
    // Go's strconv.ParseBool, which Traefik's label and file decoders use.
    static const QStringList yes { QStringLiteral("1"), QStringLiteral("t"), QStringLiteral("T"),
        QStringLiteral("TRUE"), QStringLiteral("true"), QStringLiteral("True") };
    static const QStringList no { QStringLiteral("0"), QStringLiteral("f"), QStringLiteral("F"),
        QStringLiteral("FALSE"), QStringLiteral("false"), QStringLiteral("False") };
    if (yes.contains(*text))
        return true;
    if (no.contains(*text))
        return false;
    return node(key).error(
        QStringLiteral("invalid boolean \"%1\"").arg(*text), QStringLiteral("use true or false"));
}

Expected<QStringList> Options::stringList(const QString &key) const
{
    if (!has(key))
        return QStringList();
    const config::Node value = node(key);
    const YAML::Node &yaml = value.yaml();
    if (yaml.IsNull())
        return QStringList();
    if (yaml.IsScalar())
        return scalarText(yaml).split(u',', Qt::SkipEmptyParts);
    if (!yaml.IsSequence())
        return typeError(value, QStringLiteral("a list of strings"));
    QStringList out;
    for (std::size_t i = 0; i < yaml.size(); ++i) {
        if (!yaml[i].IsScalar())
            return typeError(value.element(int(i), yaml[i]), QStringLiteral("a string"));
        out << scalarText(yaml[i]);
    }
    return out;
}

Expected<Options::StringPairs> Options::stringMap(const QString &key) const
{
    StringPairs out;
    if (!has(key))
        return out;
    const config::Node value = node(key);
    const YAML::Node &yaml = value.yaml();
    if (yaml.IsNull())
        return out;
    if (!yaml.IsMap())
        return typeError(value, QStringLiteral("a map of strings"));
    for (auto it = yaml.begin(); it != yaml.end(); ++it) {
        const QString name = scalarText(it->first);
        if (it->second.IsNull()) {
            out.emplace_back(name, QString());
            continue;
        }
        if (!it->second.IsScalar())
            return typeError(value.child(name, it->second), QStringLiteral("a string"));
        out.emplace_back(name, scalarText(it->second));
    }
    return out;
}

} // namespace portico::middleware
