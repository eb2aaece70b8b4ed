#pragma once

#include "core/common/error.h"

#include <QString>

#include <vector>
#include <yaml-cpp/yaml.h>

namespace portico::config {

/// A YAML node together with where it sits: file, line, column and config path. Parsers of
/// config sections (core, middlewares, providers) read their input through this type so that every
/// error they report carries `file:line:column: path`.
class Node
{
public:
    /// One `key: value` pair of a mapping, with the key's own position.
    struct Entry;

    Node() = default;
    Node(YAML::Node node, QString file, QString path);

    const YAML::Node &yaml() const { return m_node; }
    const QString &file() const { return m_file; }
    const QString &path() const { return m_path; }
    /// The location of this node (1-based line and column).
    SourceLocation location() const;
    /// An Error located at this node.
    Error error(QString message, QString hint = {}) const;
    /// The child under `key` (path extended with `.key`); an undefined Node when absent.
    Node child(const QString &key, const YAML::Node &value) const;
    /// The element `index` of a sequence (path extended with `[index]`).
    Node element(int index, const YAML::Node &value) const;

    /// True when the node exists in the document (an absent key gives an undefined node).
    bool isDefined() const { return m_node.IsDefined(); }
    /// True for an explicit or implicit YAML null (`key:` with nothing after it, `~`, `null`).
    bool isNull() const { return m_node.IsDefined() && m_node.IsNull(); }
    bool isScalar() const { return m_node.IsDefined() && m_node.IsScalar(); }
    bool isMap() const { return m_node.IsDefined() && m_node.IsMap(); }
    bool isSequence() const { return m_node.IsDefined() && m_node.IsSequence(); }
    /// The scalar text (empty for anything that is not a scalar).
    QString scalar() const;
    /// `a string`, `a list`, `a mapping` or `null`, for "expected X, got Y" messages.
    QString kindName() const;
    /// The pairs of a mapping in document order (empty for anything else); values get the path
    /// `path.key` with the key as written.
    std::vector<Entry> entries() const;
    /// The elements of a sequence in order (empty for anything else).
    std::vector<Node> elements() const;
    /// The value under `key` matched case-insensitively, as Traefik matches file keys; undefined
    /// when absent. The child's path uses `key` as given here (the schema's spelling).
    Node find(const QString &key) const;

private:
    YAML::Node m_node { YAML::NodeType::Undefined }; // a default Node is absent, not null
    QString m_file;
    QString m_path;
};

struct Node::Entry
{
    QString key; ///< as written in the file
    Node keyNode; ///< the key itself: its position is where "unknown key" errors point
    Node value;
};

} // namespace portico::config
