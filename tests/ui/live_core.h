#pragma once

#include "app/core_runtime.h"
#include "tests/testkit/http_server.h"
#include "ui/shell/core_status.h"

#include <QTemporaryDir>

#include <memory>

namespace portico::testkit {

/// A real core as the GUI runs it (CoreRuntime: ProxyServer on 127.0.0.1:0, ControlPlane with a
/// FileProvider on its control thread) reading `routes.yaml` from a temporary directory, wired
/// into a CoreStatus exactly as `portico gui` does. The routes point at one live backend (UP)
/// and one closed port (DOWN once health-checked).
class LiveCore
{
public:
    /// `entryPoint` overrides the loopback :0 entry point (e.g. an occupied port).
    explicit LiveCore(std::optional<config::EntryPointSpec> entryPoint = {});

    /// The good router `app` plus `broken` with rule `brokenRule` (line 7 of the file).
    QByteArray routes(const QString &brokenRule = QStringLiteral("Hots(`x.localhost`)")) const;
    /// Replaces routes.yaml (atomically, as editors do) with `content`.
    void writeRoutes(const QByteArray &content);
    /// Binds (reporting the outcome to status) and starts the control thread.
    Expected<void> start();

    QString routesPath() const { return m_dir.filePath(QStringLiteral("routes.yaml")); }
    quint16 port() const { return m_core->server().port(QStringLiteral("web")); }
    QString upUrl() const { return m_backend.url(); }
    QString downUrl() const { return m_downUrl; }
    /// The core itself (its capture hub, its ports).
    app::CoreRuntime &runtime() const { return *m_core; }

    ui::CoreStatus status;

private:
    QTemporaryDir m_dir;
    HttpServer m_backend;
    QString m_downUrl;
    std::unique_ptr<app::CoreRuntime> m_core;
};

} // namespace portico::testkit
