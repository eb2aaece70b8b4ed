#pragma once

#include "core/common/error.h"
#include "core/control/runtime_state.h"

#include <QObject>
#include <QStringList>

#include <map>
#include <vector>

namespace portico::ui {

/// How the core is doing at a glance (tray icon, window icon, banner).
enum class Health {
    Starting, ///< no configuration built yet
    Running, ///< listening, every object enabled
    Warning, ///< serving, but some object carries warnings
    Error, ///< a port could not be bound, a provider failed or an object is disabled
};

/// The GUI's view of the core, on the main thread: the last RuntimeState plus what the core
/// reported outside it (bound addresses, a listen failure, provider read failures). The tray and
/// the window observe it; it is fed only by queued signals carrying value types.
class CoreStatus : public QObject
{
    Q_OBJECT
public:
    explicit CoreStatus(QObject *parent = nullptr);

    const control::RuntimeState &state() const { return m_state; }
    bool hasState() const { return m_hasState; }
    /// Errors that concern the whole core, not one object: listen failure, then provider failures.
    std::vector<Error> coreErrors() const;
    /// `http://127.0.0.1:8080`, … (empty when nothing is bound).
    const QStringList &listening() const { return m_listening; }
    /// The port each bound entry point listens on.
    const std::map<QString, quint16> &ports() const { return m_ports; }
    Health health() const;
    /// One line for a tooltip or status bar: `3 routers (1 disabled), 2 services`.
    QString summary() const;

public Q_SLOTS:
    /// The entry points were bound: their URLs and ports.
    void setListening(const QStringList &urls, const std::map<QString, quint16> &ports);
    /// The entry points could not be bound; the core runs its control plane without serving.
    void setListenError(const portico::Error &error);
    /// A new build (or health change) from the control plane.
    void setState(const portico::control::RuntimeState &state);
    /// A provider failed to read; shown until that provider reads successfully again.
    void setProviderFailed(const QString &provider, const std::vector<portico::Error> &errors);
    /// A provider read its source successfully: its earlier failure is over.
    void setProviderRead(const QString &provider);

Q_SIGNALS:
    void changed();

private:
    control::RuntimeState m_state;
    bool m_hasState = false;
    QStringList m_listening;
    std::map<QString, quint16> m_ports;
    std::vector<Error> m_listenErrors;
    std::map<QString, std::vector<Error>> m_providerErrors; ///< by provider
};

} // namespace portico::ui
