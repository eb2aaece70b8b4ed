#include "ui/shell/core_status.h"

#include "ui/services/router_text.h"

namespace portico::ui {

CoreStatus::CoreStatus(QObject *parent)
    : QObject(parent)
{ }

std::vector<Error> CoreStatus::coreErrors() const
{
    std::vector<Error> out = m_listenErrors;
    for (const auto &[provider, errors] : m_providerErrors)
        out.insert(out.end(), errors.begin(), errors.end());
    return out;
}

Health CoreStatus::health() const
{
    if (!m_listenErrors.empty() || !m_providerErrors.empty() || !m_state.errors.empty())
        return Health::Error;
    if (!m_hasState)
        return Health::Starting;
    bool warning = false;
    const auto scan = [&warning](const auto &objects) {
        for (const auto &[name, object] : objects) {
            if (object.status == control::Status::Disabled)
                return true;
            warning = warning || object.status == control::Status::Warning;
        }
        return false;
    };
    if (scan(m_state.routers) || scan(m_state.services) || scan(m_state.middlewares))
        return Health::Error;
    return warning ? Health::Warning : Health::Running;
}

QString CoreStatus::summary() const
{
    if (!m_listenErrors.empty())
        return QStringLiteral("not serving: ") + m_listenErrors.front().message;
    if (!m_hasState)
        return QStringLiteral("starting…");
    // Portico's own objects (provider `internal`) are not what the user runs: not counted.
    int routers = 0, disabled = 0, services = 0;
    for (const auto &[name, router] : m_state.routers) {
        if (!isUserRouter(router))
            continue;
        ++routers;
        disabled += router.status == control::Status::Disabled ? 1 : 0;
    }
    for (const auto &[name, service] : m_state.services)
        services += service.provider != u"internal" ? 1 : 0;
    QString text = QStringLiteral("%1 router%2")
                       .arg(routers)
                       .arg(routers == 1 ? QString() : QStringLiteral("s"));
    if (disabled > 0)
        text += QStringLiteral(" (%1 disabled)").arg(disabled);
    text += QStringLiteral(", %1 service%2")
                .arg(services)
                .arg(services == 1 ? QString() : QStringLiteral("s"));
    if (!m_providerErrors.empty())
        text += QStringLiteral(", configuration not reloaded");
    return text;
}

void CoreStatus::setListening(const QStringList &urls, const std::map<QString, quint16> &ports)
{
    m_listening = urls;
    m_ports = ports;
    m_listenErrors.clear();
    Q_EMIT changed();
}

void CoreStatus::setListenError(const Error &error)
{
    m_listening.clear();
    m_ports.clear();
    m_listenErrors = { error };
    Q_EMIT changed();
}

void CoreStatus::setState(const control::RuntimeState &state)
{
    m_state = state;
    m_hasState = true;
    Q_EMIT changed();
}

void CoreStatus::setProviderFailed(const QString &provider, const std::vector<Error> &errors)
{
    m_providerErrors[provider] = errors;
    Q_EMIT changed();
}

void CoreStatus::setProviderRead(const QString &provider)
{
    if (m_providerErrors.erase(provider) > 0)
        Q_EMIT changed();
}

} // namespace portico::ui
