#include "core/config/node.h"

namespace portico::config {

Node::Node(YAML::Node node, QString file, QString path)
    : m_node(std::move(node))
    , m_file(std::move(file))
    , m_path(std::move(path))
{ }

SourceLocation Node::location() const
{
    SourceLocation where { m_file, 0, 0, m_path };
    if (m_node.IsDefined()) {
        const YAML::Mark mark = m_node.Mark();
        if (mark.line >= 0) {
            where.line = mark.line + 1;
            where.column = mark.column + 1;
        }
    }
    return where;
}

Error Node::error(QString message, QString hint) const
{
    return Error { std::move(message), location(), std::move(hint) };
}

Node Node::child(const QString &key, const YAML::Node &value) const
{
    return Node(value, m_file, m_path.isEmpty() ? key : m_path + u'.' + key);
}

Node Node::element(int index, const YAML::Node &value) const
{
    return Node(value, m_file, m_path + u'[' + QString::number(index) + u']');
}

QString Node::scalar() const
{
    return isScalar() ? QString::fromStdString(m_node.Scalar()) : QString();
}

QString Node::kindName() const
{
    if (!isDefined() || isNull())
        return QStringLiteral("null");
    if (isMap())
        return QStringLiteral("a mapping");
    if (isSequence())
        return QStringLiteral("a list");
    return QStringLiteral("a string");
}

std::vector<Node::Entry> Node::entries() const
{
    std::vector<Entry> out;
    if (!isMap())
        return out;
    for (auto it = m_node.begin(); it != m_node.end(); ++it) {
        // A non-scalar key (`? [a, b]`) has no text; callers report it as an unknown empty key.
        const QString key
            = it->first.IsScalar() ? QString::fromStdString(it->first.Scalar()) : QString();
        const QString keyPath = m_path.isEmpty() ? key : m_path + u'.' + key;
        out.push_back(Entry { key, Node(it->first, m_file, keyPath), child(key, it->second) });
    }
    return out;
}

std::vector<Node> Node::elements() const
{
    std::vector<Node> out;
    if (!isSequence())
        return out;
    int index = 0;
    for (auto it = m_node.begin(); it != m_node.end(); ++it)
        out.push_back(element(index++, *it));
    return out;
}

Node Node::find(const QString &key) const
{
    if (!isMap())
        return child(key, YAML::Node(YAML::NodeType::Undefined));
    for (auto it = m_node.begin(); it != m_node.end(); ++it) {
        if (it->first.IsScalar()
            && QString::fromStdString(it->first.Scalar()).compare(key, Qt::CaseInsensitive) == 0)
            return child(key, it->second);
    }
    return child(key, YAML::Node(YAML::NodeType::Undefined));
}

} // namespace portico::config
