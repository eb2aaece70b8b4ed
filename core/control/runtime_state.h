#pragma once

#include "core/common/error.h"
#include "core/config/dynamic_spec.h"

#include <QString>
#include <QStringList>

#include <map>
#include <vector>

namespace portico::control {

/// Traefik's object status: `enabled`, `warning` (serving despite errors) or `disabled`.
enum class Status { Enabled, Warning, Disabled };

/// `enabled` / `warning` / `disabled`, as the Traefik API spells it.
QString statusName(Status status);

/// What every runtime object carries: qualified name, provider, status and errors.
struct ObjectState
{
    QString name; ///< qualified: `api@file`
    QString provider;
    Status status = Status::Enabled;
    std::vector<Error> errors;
};

struct RouterState : ObjectState
{
    config::RouterSpec spec;
    qint64 priority = 0; ///< effective priority
    QStringList using_; ///< entry points it is mounted on, sorted
    QString service; ///< qualified
    QStringList middlewares; ///< qualified, entry-point middlewares first
    bool paused = false; ///< switched off by hand: kept, but answers with the paused page
};

struct ServiceState : ObjectState
{
    config::ServiceSpec spec;
    QStringList usedBy; ///< qualified router names, sorted
    std::map<QString, QString> serverStatus; ///< server URL → `UP` / `DOWN` (Traefik API)
};

struct MiddlewareState : ObjectState
{
    config::MiddlewareSpec spec;
    QStringList usedBy;
};

/// A TCP router (tcp_tables.h): as RouterState, with the TCP spec.
struct TcpRouterState : ObjectState
{
    config::TcpRouterSpec spec;
    qint64 priority = 0; ///< effective priority
    QStringList using_; ///< entry points it is mounted on, sorted
    QString service; ///< qualified
    QStringList middlewares; ///< qualified
};

struct TcpServiceState : ObjectState
{
    config::TcpServiceSpec spec;
    QStringList usedBy; ///< qualified router names, sorted
    std::map<QString, QString> serverStatus; ///< server address → `UP` (Traefik API)
};

struct TcpMiddlewareState : ObjectState
{
    config::TcpMiddlewareSpec spec;
    QStringList usedBy;
};

/// The merged configuration as the control plane sees it after a build: every object from every
/// provider with its status and errors, plus errors that belong to no object. Value type; shown
/// by `portico check`, the API and the GUI.
struct RuntimeState
{
    quint64 generation = 0;
    std::map<QString, RouterState> routers; ///< by qualified name
    std::map<QString, ServiceState> services;
    std::map<QString, MiddlewareState> middlewares;
    std::map<QString, TcpRouterState> tcpRouters; ///< `tcp.routers`, by qualified name
    std::map<QString, TcpServiceState> tcpServices;
    std::map<QString, TcpMiddlewareState> tcpMiddlewares;
    std::vector<Error> errors; ///< provider-level errors (YAML syntax, duplicates, …)

    /// Every error of every object and provider, in a stable order, as `where: message (hint)`.
    std::vector<Error> allErrors() const;
};

} // namespace portico::control
