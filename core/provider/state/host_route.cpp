#include "core/provider/state/host_route.h"

#include <QRegularExpression>
#include <QUrl>

namespace portico::provider {

namespace {

const QLatin1String kLocalhost(".localhost");

} // namespace

Expected<QString> validateRouteName(const QString &name)
{
    const QString lower = name.trimmed().toLower();
    const auto bad = [&](const QString &why) {
        return Error { QStringLiteral("invalid name \"%1\": %2").arg(name, why), {},
            QStringLiteral("use letters, digits and hyphens, e.g. \"shop\" or \"api.shop\"") };
    };
    if (lower.isEmpty())
        return bad(QStringLiteral("the name is empty"));
    if (lower.size() > 253)
        return bad(QStringLiteral("longer than 253 characters"));
    static const QRegularExpression label(QStringLiteral("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$"));
    for (const QString &part : lower.split(QLatin1Char('.'))) {
        if (part.isEmpty())
            return bad(QStringLiteral("empty label between dots"));
        if (part.size() > 63)
            return bad(QStringLiteral("label \"%1\" is longer than 63 characters").arg(part));
        if (!label.match(part).hasMatch())
            return bad(QStringLiteral("label \"%1\" may hold only letters, digits and inner "
                                      "hyphens")
                           .arg(part));
    }
    return lower;
}

QString aliasHost(const QString &name)
{
    return name.contains(QLatin1Char('.')) ? name : name + kLocalhost;
}

QString runHost(const QString &name)
{
    return name.endsWith(kLocalhost) || name == kLocalhost.mid(1) ? name : name + kLocalhost;
}

Expected<QString> aliasTarget(const QString &target)
{
    const QString trimmed = target.trimmed();
    bool isNumber = false;
    const int port = trimmed.toInt(&isNumber);
    if (isNumber) {
        if (port < 1 || port > 65535)
            return Error { QStringLiteral("invalid port \"%1\": expected 1-65535").arg(target), {},
                {} };
        return QStringLiteral("http://localhost:%1").arg(port);
    }
    const QUrl url(trimmed, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || (scheme != u"http" && scheme != u"https") || url.host().isEmpty())
        return Error {
            QStringLiteral("invalid target \"%1\": expected a port or an http(s) URL").arg(target),
            {}, QStringLiteral("e.g. \"3000\" or \"http://127.0.0.1:3000\"")
        };
    return trimmed;
}

void addHostRoute(config::DynamicConfig &config, const QString &name, const QString &host,
    const QString &url, const SourceLocation &where)
{
    config::RouterSpec router;
    router.name = name;
    router.rule = QStringLiteral("Host(`%1`)").arg(host);
    router.service = name;
    router.origin.where = where;
    config.routers.push_back(std::move(router));

    config::ServiceSpec service;
    service.name = name;
    service.loadBalancer = config::LoadBalancerSpec {};
    service.loadBalancer->servers.push_back(config::ServerSpec { url, 1, false });
    service.origin.where = where;
    config.services.push_back(std::move(service));
}

} // namespace portico::provider
