#include "core/config/node.h"

namespace portico::config {

Node::Node(YAML::Node node, QString file, QString path)
    : m_node(std::move(node))
    , m_file(std::move(file))
    , m_path(std::move(path))
{}

SourceLocation Node::location() const
{
    SourceLocation where{m_file, 0, 0, m_path};
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
    return Error{std::move(message), location(), std::move(hint)};
}

Node Node::child(const QString &key, const YAML::Node &value) const
{
    return Node(value, m_file, m_path.isEmpty() ? key : m_path + u'.' + key);
}

Node Node::element(int index, const YAML::Node &value) const
{
    return Node(value, m_file, m_path + u'[' + QString::number(index) + u']');
}

} // namespace portico::config
