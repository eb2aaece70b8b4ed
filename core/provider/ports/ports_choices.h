#pragma once

#include "core/common/expected.h"

#include <QString>

#include <map>
#include <optional>

namespace portico::provider::ports {

/// A person's decision about one project's dev server: publish it under `name`, or not.
struct Choice
{
    QString name;
    bool published = true;
};

/// The publish decisions that outlive a dev server: `<homeDir>/ports.json`, keyed by project
/// root and command line so the same project is published again the next time it listens.
class PortsChoices
{
public:
    explicit PortsChoices(QString path);

    /// Reads the file; a missing file is an empty set, an unreadable or malformed one an error
    /// (and an empty set).
    Expected<void> load();
    /// The decision for a project and command, if one was made.
    std::optional<Choice> find(const QString &root, const QString &command) const;
    /// Records a decision and writes the file atomically.
    Expected<void> set(const QString &root, const QString &command, const Choice &choice);

private:
    Expected<void> save() const;

    QString m_path;
    std::map<std::pair<QString, QString>, Choice> m_choices; ///< (root, command) → choice
};

} // namespace portico::provider::ports
