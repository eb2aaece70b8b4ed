#include "core/provider/docker/engine_endpoint.h"

#include <QUrl>

namespace portico::provider::docker {

namespace {

Error endpointError(const QString &text, const QString &why)
{
    return Error { QStringLiteral("invalid docker endpoint \"%1\": %2").arg(text, why),
        { QString(), 0, 0, QStringLiteral("providers.docker.endpoint") },
        QStringLiteral("expected unix:///var/run/docker.sock, npipe:////./pipe/docker_engine or "
                       "tcp://host:2375") };
}

} // namespace

Expected<EngineEndpoint> parseEndpoint(const QString &text)
{
    EngineEndpoint endpoint;
    endpoint.text = text;
    const QString lower = text.toLower();
    if (lower.startsWith(QLatin1String("unix://"))) {
        endpoint.path = text.mid(7);
        if (endpoint.path.isEmpty())
            return endpointError(text, QStringLiteral("no socket path"));
        return endpoint;
    }
    if (lower.startsWith(QLatin1String("npipe://"))) {
        // npipe:////./pipe/docker_engine → \\.\pipe\docker_engine
        endpoint.path = text.mid(8).replace(u'/', u'\\');
        if (!endpoint.path.startsWith(QLatin1String("\\\\")))
            return endpointError(text, QStringLiteral("expected //./pipe/<name>"));
        return endpoint;
    }
    if (lower.startsWith(QLatin1String("tcp://")) || lower.startsWith(QLatin1String("http://"))) {
        const QUrl url(QStringLiteral("http://") + text.section(QLatin1String("://"), 1));
        if (!url.isValid() || url.host().isEmpty() || url.port() <= 0)
            return endpointError(text, QStringLiteral("expected host:port"));
        endpoint.kind = EngineEndpoint::Kind::Tcp;
        endpoint.host = url.host();
        endpoint.port = quint16(url.port());
        return endpoint;
    }
    return endpointError(text, QStringLiteral("unsupported scheme"));
}

Expected<EngineEndpoint> resolveEndpoint(const QString &configured)
{
    if (!configured.isEmpty())
        return parseEndpoint(configured);
    const QString env = qEnvironmentVariable("DOCKER_HOST");
    if (!env.isEmpty())
        return parseEndpoint(env);
#ifdef Q_OS_WIN
    return parseEndpoint(QStringLiteral("npipe:////./pipe/docker_engine"));
#else
    return parseEndpoint(QStringLiteral("unix:///var/run/docker.sock"));
#endif
}

} // namespace portico::provider::docker
