#include "core/control/explain_text.h"

#include <QJsonArray>
#include <QTextStream>

namespace portico::control {

namespace {

QString str(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toString();
}

/// The winner's service, middlewares and server choice.
void printPipeline(QTextStream &out, const QJsonObject &ep)
{
    const QJsonValue winner = ep.value(QLatin1String("winner"));
    if (winner.isNull()) {
        out << "  no router matches: the request gets 404 page not found\n";
        return;
    }
    out << "  -> " << winner.toString() << " serves it\n";
    QStringList middlewares;
    for (const QJsonValue &m : ep.value(QLatin1String("middlewares")).toArray())
        middlewares << m.toString();
    out << "     middlewares: "
        << (middlewares.isEmpty() ? QStringLiteral("none")
                                  : middlewares.join(QStringLiteral(" -> ")))
        << '\n';
    out << "     service:     " << str(ep, "service") << '\n';
    if (ep.value(QLatin1String("paused")).toBool())
        out << "     paused: the paused page answers (portico resume "
            << winner.toString().section(u'@', 0, 0) << ")\n";
    const QString server = str(ep, "server");
    out << "     server:      " << (server.isEmpty() ? QStringLiteral("-") : server) << " ("
        << str(ep, "serverNote") << ")\n";
    for (const QJsonValue &value : ep.value(QLatin1String("servers")).toArray()) {
        const QJsonObject s = value.toObject();
        out << "       " << str(s, "url") << "  weight " << s.value(QLatin1String("weight")).toInt()
            << (s.value(QLatin1String("healthy")).toBool() ? "" : "  DOWN") << '\n';
    }
}

void printEntryPoint(QTextStream &out, const QJsonObject &ep)
{
    out << "\nentry point " << str(ep, "entryPoint") << " (" << str(ep, "why") << "), "
        << (ep.value(QLatin1String("tls")).toBool() ? "TLS" : "plain HTTP") << ":\n";
    printPipeline(out, ep);
    out << "\n  routers in the order they are tried:\n";
    for (const QJsonValue &value : ep.value(QLatin1String("routers")).toArray()) {
        const QJsonObject r = value.toObject();
        out << "    " << QStringLiteral("[%1]").arg(str(r, "verdict")).leftJustified(15) << ' '
            << str(r, "name") << "  priority " << str(r, "priority")
            << (r.value(QLatin1String("tls")).toBool() ? "  tls" : "") << '\n';
        out << "    " << QString(16, u' ') << str(r, "rule") << '\n';
        out << "    " << QString(16, u' ') << str(r, "reason") << '\n';
    }
}

} // namespace

QString explanationText(const QJsonObject &explanation, const QString &url)
{
    QString text;
    QTextStream out(&text);
    const QJsonObject request = explanation.value(QLatin1String("request")).toObject();
    out << str(request, "method") << ' ' << url << "\n  host \"" << str(request, "host")
        << "\", path \"" << str(request, "path") << '"';
    if (!str(request, "query").isEmpty())
        out << ", query \"" << str(request, "query") << '"';
    out << '\n';
    for (const QJsonValue &ep : explanation.value(QLatin1String("entryPoints")).toArray())
        printEntryPoint(out, ep.toObject());
    out.flush();
    return text;
}

} // namespace portico::control
