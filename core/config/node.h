#pragma once

#include "core/common/error.h"

#include <yaml-cpp/yaml.h>

#include <QString>

namespace portico::config {

/// A YAML node together with where it sits: file, line, column and config path. Parsers of
/// config sections (core, middlewares, providers) read their input through this type so that every
/// error they report carries `file:line:column: path`.
class Node
{
public:
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

private:
    YAML::Node m_node;
    QString m_file;
    QString m_path;
};

} // namespace portico::config
