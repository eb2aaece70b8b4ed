#include "ui/services/router_text.h"

#include <QFileInfo>
#include <QRegularExpression>

namespace portico::ui {

QString shortErrorText(const Error &error)
{
    Error shortened = error;
    shortened.where.file = QFileInfo(error.where.file).fileName();
    // The row already names the object; its config path would push the message out of sight.
    if (!shortened.where.file.isEmpty())
        shortened.where.path.clear();
    return shortened.toString();
}

QString errorsCell(const std::vector<Error> &errors)
{
    if (errors.empty())
        return {};
    QString text = shortErrorText(errors.front());
    if (errors.size() > 1)
        text += QStringLiteral(" (+%1 more)").arg(errors.size() - 1);
    return text;
}

QString errorsTooltip(const std::vector<Error> &errors)
{
    QStringList lines;
    for (const Error &e : errors)
        lines << e.toString();
    return lines.join(u'\n');
}

namespace {

/// The first backquoted, quoted or double-quoted argument of matcher `name` in `rule`.
QString firstArgument(const QString &rule, const QString &name)
{
    static const QString pattern = QStringLiteral(R"(\b%1\(\s*[`"']([^`"']+)[`"'])");
    const QRegularExpression re(pattern.arg(name));
    const QRegularExpressionMatch match = re.match(rule);
    return match.hasMatch() ? match.captured(1) : QString();
}

} // namespace

QUrl routerUrl(const control::RouterState &router, const std::map<QString, quint16> &ports)
{
    if (router.status == control::Status::Disabled || router.using_.isEmpty())
        return {};
    const auto port = ports.find(router.using_.first());
    if (port == ports.end())
        return {};
    const QString rule = router.spec.rule;
    QString host = firstArgument(rule, QStringLiteral("Host"));
    if (host.isEmpty()) {
        if (rule.contains(QStringLiteral("HostRegexp")) || rule.contains(QStringLiteral("HostSNI")))
            return {};
        host = QStringLiteral("localhost");
    }
    QString path;
    if (!rule.contains(QStringLiteral("||"))) {
        path = firstArgument(rule, QStringLiteral("PathPrefix"));
        if (path.isEmpty())
            path = firstArgument(rule, QStringLiteral("Path"));
    }
    QUrl url;
    url.setScheme(router.spec.tls ? QStringLiteral("https") : QStringLiteral("http"));
    url.setHost(host);
    const bool defaultPort = port->second == (router.spec.tls ? 443 : 80);
    if (!defaultPort)
        url.setPort(port->second);
    url.setPath(path.startsWith(u'/') ? path : QStringLiteral("/"));
    return url;
}

QString ruleHost(const QString &rule)
{
    return firstArgument(rule, QStringLiteral("Host"));
}

bool isUserRouter(const control::RouterState &router)
{
    return router.provider != u"internal";
}

} // namespace portico::ui
