#include "core/service/spec_checks.h"

#include "core/common/log.h"

namespace portico::service {

namespace {

Error fieldError(const QString &field, const QString &message, const QString &hint = {})
{
    return Error { message, { {}, 0, 0, QStringLiteral("loadBalancer.") + field }, hint };
}

/// RFC 9110 §9.1: a method is a token.
bool isToken(const QString &text)
{
    if (text.isEmpty())
        return false;
    for (QChar c : text) {
        const bool alnum
            = (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9');
        if (!alnum && !QStringLiteral("!#$%&'*+-.^_`|~").contains(c))
            return false;
    }
    return true;
}

} // namespace

Expected<void> checkStrategy(const QString &strategy, const QString &service)
{
    if (strategy.isEmpty() || strategy == QLatin1String("wrr"))
        return {};
    if (strategy == QLatin1String("p2c") || strategy == QLatin1String("hrw")
        || strategy == QLatin1String("leasttime")) {
        qCWarning(lcService).noquote()
            << QStringLiteral("service \"%1\": strategy \"%2\" is not implemented, using wrr")
                   .arg(service, strategy);
        return {};
    }
    return fieldError(QStringLiteral("strategy"),
        QStringLiteral("unsupported load-balancer strategy \"%1\"").arg(strategy),
        QStringLiteral("use wrr"));
}

Expected<void> checkHealthCheck(const config::HealthCheckSpec &spec)
{
    if (spec.mode == QLatin1String("grpc"))
        return fieldError(QStringLiteral("healthCheck.mode"),
            QStringLiteral("health check mode \"grpc\" is not supported"),
            QStringLiteral("use mode http against an HTTP health endpoint"));
    if (!spec.mode.isEmpty() && spec.mode != QLatin1String("http"))
        return fieldError(QStringLiteral("healthCheck.mode"),
            QStringLiteral("unknown health check mode \"%1\"").arg(spec.mode),
            QStringLiteral("use http"));
    if (!spec.scheme.isEmpty() && spec.scheme != QLatin1String("http")
        && spec.scheme != QLatin1String("https"))
        return fieldError(QStringLiteral("healthCheck.scheme"),
            QStringLiteral("unsupported health check scheme \"%1\"").arg(spec.scheme),
            QStringLiteral("use http or https"));
    if (!isToken(spec.method))
        return fieldError(QStringLiteral("healthCheck.method"),
            QStringLiteral("invalid method \"%1\"").arg(spec.method));
    if (spec.port < 0 || spec.port > 65535)
        return fieldError(QStringLiteral("healthCheck.port"),
            QStringLiteral("port \"%1\" is out of range").arg(spec.port));
    if (spec.status != 0 && (spec.status < 100 || spec.status > 599))
        return fieldError(QStringLiteral("healthCheck.status"),
            QStringLiteral("invalid status \"%1\"").arg(spec.status),
            QStringLiteral("use a status between 100 and 599"));
    return {};
}

} // namespace portico::service
