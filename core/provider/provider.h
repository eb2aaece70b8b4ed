#pragma once

#include "core/config/dynamic_spec.h"

#include <QObject>

namespace portico::provider {

/// A source of dynamic configuration. Lives on the control thread and emits its *whole* current
/// view each time it changes (never a diff); the control plane merges views of every provider.
class Provider : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    ~Provider() override = default;

    /// Short name used to qualify objects: `file` → `api@file`.
    virtual QString name() const = 0;
    /// Starts watching; the first snapshot is emitted from here or soon after.
    virtual void start() = 0;

Q_SIGNALS:
    void snapshotReady(const portico::config::DynamicConfig &snapshot);
    /// The provider could not produce a snapshot (unreadable file, YAML syntax error): the last
    /// good snapshot stays in force and these errors are reported.
    void snapshotFailed(const std::vector<portico::Error> &errors);
};

} // namespace portico::provider
