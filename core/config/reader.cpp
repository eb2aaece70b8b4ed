#include "core/config/reader.h"

#include "core/common/suggest.h"
#include "core/config/duration.h"

#include <algorithm>
#include <tuple>

namespace portico::config {

MapReader::MapReader(const Node &map, Errors &errors, Origin *origin, QString fieldPrefix)
    : m_map(map)
    , m_errors(errors)
    , m_origin(origin)
    , m_fieldPrefix(std::move(fieldPrefix))
{
    if (!map.isDefined() || map.isNull())
        return;
    if (!map.isMap()) {
        addError(errors, map, QStringLiteral("expected a mapping, got %1").arg(map.kindName()));
        return;
    }
    m_entries = map.entries();
    m_used.assign(m_entries.size(), false);
    // yaml-cpp keeps repeated keys; Traefik's decoder refuses them, and so do we,
    // case-insensitively.
    for (size_t i = 0; i < m_entries.size(); ++i) {
        for (size_t j = 0; j < i; ++j) {
            if (m_entries[i].key.compare(m_entries[j].key, Qt::CaseInsensitive) == 0) {
                addError(errors, m_entries[i].keyNode,
                    QStringLiteral("duplicate key \"%1\"").arg(m_entries[i].key));
                m_used[i] = true;
                break;
            }
        }
    }
}

MapReader::~MapReader()
{
    Q_ASSERT(m_finished);
}

const Node::Entry *MapReader::entry(const QString &key) const
{
    for (const Node::Entry &e : m_entries) {
        if (e.key.compare(key, Qt::CaseInsensitive) == 0)
            return &e;
    }
    return nullptr;
}

Node MapReader::take(const QString &key)
{
    m_known.append(key);
    const Node::Entry *e = entry(key);
    if (!e)
        return m_map.child(key, YAML::Node(YAML::NodeType::Undefined));
    m_used[size_t(e - m_entries.data())] = true;
    const Node value = m_map.child(key, e->value.yaml());
    if (m_origin) {
        SourceLocation where = e->keyNode.location();
        where.path = value.path();
        m_origin->fields[m_fieldPrefix + key] = where;
    }
    return value;
}

bool MapReader::has(const QString &key) const
{
    return entry(key) != nullptr;
}

void MapReader::unsupported(const QStringList &keys)
{
    refuse(keys, QStringLiteral("\"%1\" is not supported yet"));
}

void MapReader::refuse(const QStringList &keys, const QString &message, const QString &hint)
{
    for (const QString &key : keys) {
        m_known.append(key);
        if (const Node::Entry *e = entry(key)) {
            m_used[size_t(e - m_entries.data())] = true;
            addError(m_errors, e->keyNode, message.arg(key), hint);
        }
    }
}

SourceLocation MapReader::keyLocation(const QString &key) const
{
    const Node::Entry *e = entry(key);
    if (!e)
        return m_map.location();
    SourceLocation where = e->keyNode.location();
    where.path = m_map.child(key, YAML::Node()).path();
    return where;
}

void MapReader::ignore(const QStringList &keys)
{
    for (const QString &key : keys) {
        m_known.append(key);
        if (const Node::Entry *e = entry(key))
            m_used[size_t(e - m_entries.data())] = true;
    }
}

void MapReader::finish()
{
    Q_ASSERT(!m_finished);
    m_finished = true;
    for (size_t i = 0; i < m_entries.size(); ++i) {
        if (m_used[i])
            continue;
        const Node::Entry &e = m_entries[i];
        addError(m_errors, e.keyNode, QStringLiteral("unknown key \"%1\"").arg(e.key),
            didYouMean(e.key, m_known));
    }
}

QStringList MapReader::presentKeys() const
{
    QStringList keys;
    for (const Node::Entry &e : m_entries)
        keys.append(e.key);
    return keys;
}

std::vector<Node::Entry> namedEntries(const Node &map, Errors &errors)
{
    std::vector<Node::Entry> out;
    if (!map.isDefined() || map.isNull())
        return out;
    if (!map.isMap()) {
        addError(errors, map, QStringLiteral("expected a mapping, got %1").arg(map.kindName()));
        return out;
    }
    for (Node::Entry &e : map.entries()) {
        if (e.key.isEmpty()) {
            addError(errors, e.keyNode, QStringLiteral("empty name"));
            continue;
        }
        const auto same = [&](const Node::Entry &seen) { return seen.key == e.key; };
        if (std::find_if(out.begin(), out.end(), same) != out.end()) {
            addError(errors, e.keyNode, QStringLiteral("duplicate name \"%1\"").arg(e.key));
            continue;
        }
        out.push_back(std::move(e));
    }
    return out;
}

void addError(Errors &errors, const Node &node, QString message, QString hint)
{
    errors.push_back(node.error(std::move(message), std::move(hint)));
}

void sortByPosition(Errors &errors)
{
    std::stable_sort(errors.begin(), errors.end(), [](const Error &a, const Error &b) {
        return std::tie(a.where.file, a.where.line, a.where.column)
            < std::tie(b.where.file, b.where.line, b.where.column);
    });
}

namespace {

/// The scalar text of a present, non-null node, or nullopt (with an error when it is a
/// list or mapping).
std::optional<QString> scalarOf(const Node &node, Errors &errors, const char *expected)
{
    if (!node.isDefined() || node.isNull())
        return std::nullopt;
    if (!node.isScalar()) {
        addError(errors, node,
            QStringLiteral("expected %1, got %2").arg(QLatin1String(expected), node.kindName()));
        return std::nullopt;
    }
    return node.scalar();
}

} // namespace

bool readString(const Node &node, QString &out, Errors &errors)
{
    const std::optional<QString> text = scalarOf(node, errors, "a string");
    if (text)
        out = *text;
    return text.has_value();
}

bool readBool(const Node &node, bool &out, Errors &errors)
{
    const std::optional<QString> text = scalarOf(node, errors, "a boolean");
    if (!text)
        return false;
    const QString lower = text->trimmed().toLower();
    if (lower != QLatin1String("true") && lower != QLatin1String("false")) {
        addError(errors, node, QStringLiteral("invalid boolean \"%1\"").arg(*text),
            QStringLiteral("expected true or false"));
        return false;
    }
    out = lower == QLatin1String("true");
    return true;
}

bool readInt(const Node &node, qint64 &out, qint64 min, qint64 max, Errors &errors)
{
    const std::optional<QString> text = scalarOf(node, errors, "an integer");
    if (!text)
        return false;
    bool ok = false;
    const qint64 value = text->trimmed().toLongLong(&ok);
    if (!ok) {
        addError(errors, node, QStringLiteral("invalid integer \"%1\"").arg(*text));
        return false;
    }
    if (value < min || value > max) {
        addError(errors, node, QStringLiteral("value %1 is out of range").arg(value),
            QStringLiteral("expected %1 to %2").arg(min).arg(max));
        return false;
    }
    out = value;
    return true;
}

bool readInt(const Node &node, int &out, int min, int max, Errors &errors)
{
    qint64 value = 0;
    if (!readInt(node, value, min, max, errors))
        return false;
    out = int(value);
    return true;
}

bool readStringList(const Node &node, QStringList &out, Errors &errors)
{
    if (!node.isDefined() || node.isNull())
        return false;
    if (node.isScalar()) {
        out.clear();
        for (const QString &part : node.scalar().split(u','))
            if (!part.trimmed().isEmpty())
                out.append(part.trimmed());
        return true;
    }
    if (!node.isSequence()) {
        addError(errors, node, QStringLiteral("expected a list, got %1").arg(node.kindName()));
        return false;
    }
    QStringList values;
    bool ok = true;
    for (const Node &element : node.elements()) {
        QString value;
        if (element.isNull() || !readString(element, value, errors))
            ok = ok && element.isNull();
        else
            values.append(value);
    }
    if (ok)
        out = values;
    return ok;
}

bool readDuration(
    const Node &node, std::chrono::milliseconds &out, Errors &errors, bool allowNegative)
{
    const std::optional<QString> text = scalarOf(node, errors, "a duration");
    if (!text)
        return false;
    Expected<std::chrono::milliseconds> value = parseDuration(*text);
    if (!value) {
        addError(errors, node, value.error().message, value.error().hint);
        return false;
    }
    if (!allowNegative && value->count() < 0) {
        addError(errors, node, QStringLiteral("negative duration \"%1\"").arg(*text));
        return false;
    }
    out = *value;
    return true;
}

bool readChoice(const Node &node, QString &out, const QStringList &choices, Errors &errors)
{
    QString text;
    if (!readString(node, text, errors))
        return false;
    for (const QString &choice : choices) {
        if (choice.compare(text, Qt::CaseInsensitive) == 0) {
            out = choice;
            return true;
        }
    }
    QString hint = didYouMean(text, choices);
    if (hint.isEmpty())
        hint = QStringLiteral("expected one of: ") + choices.join(QStringLiteral(", "));
    addError(errors, node, QStringLiteral("invalid value \"%1\"").arg(text), hint);
    return false;
}

} // namespace portico::config
