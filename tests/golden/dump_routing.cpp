#include "tests/golden/dump_routing.h"

namespace portico::golden {

namespace {

void appendErrors(QString &out, const std::vector<Error> &errors)
{
    for (const Error &e : errors)
        out += QStringLiteral("    error: ") + e.toString() + u'\n';
}

} // namespace

QString dumpRouting(const control::RuntimeState &state)
{
    QString out = QStringLiteral("routing:\n");
    for (const auto &[name, router] : state.routers) {
        out += QStringLiteral(
            "  router %1 [%2] priority=%3 using=[%4] service=%5 middlewares=[%6]\n")
                   .arg(name, control::statusName(router.status))
                   .arg(router.priority)
                   .arg(router.using_.join(u','), router.service, router.middlewares.join(u','));
        appendErrors(out, router.errors);
    }
    for (const auto &[name, service] : state.services) {
        QStringList servers;
        for (const auto &[url, status] : service.serverStatus)
            servers << url + u'=' + status;
        out += QStringLiteral("  service %1 [%2] usedBy=[%3] servers=[%4]\n")
                   .arg(name, control::statusName(service.status), service.usedBy.join(u','),
                       servers.join(u','));
        appendErrors(out, service.errors);
    }
    for (const auto &[name, middleware] : state.middlewares) {
        out += QStringLiteral("  middleware %1 [%2] kind=%3 usedBy=[%4]\n")
                   .arg(name, control::statusName(middleware.status), middleware.spec.kind,
                       middleware.usedBy.join(u','));
        appendErrors(out, middleware.errors);
    }
    return out;
}

} // namespace portico::golden
