#include "core/provider/docker/container_config.h"

#include "core/config/schema.h"
#include "core/provider/docker/default_rule.h"
#include "core/provider/docker/label_tree.h"
#include "core/provider/docker/server_address.h"

#include <QStringList>

namespace portico::provider::docker {

namespace {

/// Everything one conversion needs, so helpers stay small.
struct Conversion
{
    const ContainerInfo &container;
    const config::DockerProviderSpec &spec;
    QString where; ///< `container "web1"`
    QString name; ///< normalised base name
    LabelTree tree;
    std::map<QString, std::vector<Error>> serviceErrors;
    std::map<QString, std::vector<Error>> routerErrors;
    bool withServers = true; ///< false: kept without servers (allowEmptyServices)
};

Error errorAt(const Conversion &c, const QString &label, Error e)
{
    e.where = { label.isEmpty() ? c.where : QStringLiteral("%1 label \"%2\"").arg(c.where, label),
        0, 0, {} };
    return e;
}

/// The label written for `path` under the container's `http` tree (for error locations).
QString labelFor(const Conversion &c, const QString &path)
{
    const auto it = c.tree.labelOf.find(path.toLower());
    return it == c.tree.labelOf.end() ? QString() : it->second;
}

/// The first label at or below `path` (an unknown section is reported where it starts).
QString firstLabelUnder(const Conversion &c, const QString &path)
{
    const QString exact = labelFor(c, path);
    if (!exact.isEmpty() || path.isEmpty())
        return exact;
    const QString prefix = path.toLower() + u'.';
    const auto it = c.tree.labelOf.lower_bound(prefix);
    return it != c.tree.labelOf.end() && it->first.startsWith(prefix) ? it->second : QString();
}

std::optional<QString> takeLeaf(LabelNode &parent, const QString &key)
{
    const LabelNode *node = parent.find(key);
    std::optional<QString> value = node ? node->value : std::nullopt;
    parent.remove(key);
    return value;
}

/// `loadbalancer.server.{port,scheme,url,weight,preservepath}` → `servers: [{url, …}]`.
void buildServer(Conversion &c, const QString &serviceName, LabelNode &lb)
{
    const QString base = QStringLiteral("http.services.%1.loadbalancer.server.").arg(serviceName);
    auto fail = [&](const QString &field, const QString &message, const QString &hint = {}) {
        c.serviceErrors[serviceName].push_back(
            errorAt(c, labelFor(c, base + field), Error { message, {}, hint }));
    };
    LabelNode server
        = lb.find(QStringLiteral("server")) ? *lb.find(QStringLiteral("server")) : LabelNode {};
    lb.remove(QStringLiteral("server"));
    const std::optional<QString> port = takeLeaf(server, QStringLiteral("port"));
    const std::optional<QString> scheme = takeLeaf(server, QStringLiteral("scheme"));
    const std::optional<QString> url = takeLeaf(server, QStringLiteral("url"));
    LabelNode entry;
    for (const QString &key : { QStringLiteral("weight"), QStringLiteral("preservePath") }) {
        if (const LabelNode *n = server.find(key))
            entry.child(key) = *n;
        server.remove(key);
    }
    for (const auto &[key, node] : server.children)
        fail(key.toLower(), QStringLiteral("unknown key \"%1\"").arg(key),
            QStringLiteral("server takes port, scheme, url, weight and preservePath"));
    if (url && (port || scheme))
        return fail(QStringLiteral("url"),
            QStringLiteral("defining scheme or port is not allowed when URL is defined"));
    std::optional<int> portNumber;
    if (port) {
        bool ok = false;
        const int n = port->trimmed().toInt(&ok);
        if (!ok || n < 1 || n > 65535)
            return fail(QStringLiteral("port"), QStringLiteral("invalid port \"%1\"").arg(*port),
                QStringLiteral("expected a number from 1 to 65535"));
        portNumber = n;
    }
    if (!c.withServers)
        return;
    QString target = url.value_or(QString());
    if (!url) {
        Expected<QString> address = serverAddress(c.container, c.spec, portNumber, c.tree.network);
        if (!address)
            return fail(QStringLiteral("port"), address.error().message, address.error().hint);
        target
            = scheme.value_or(QStringLiteral("http")).trimmed() + QStringLiteral("://") + *address;
    }
    entry.child(QStringLiteral("url")).value = target;
    LabelNode &servers = lb.child(QStringLiteral("servers"));
    servers.isList = true;
    servers.elements[0] = entry;
}

/// `sticky=true` and `sticky.cookie=true` switch the sections on with their defaults (Traefik's
/// "allowEmpty"); any other bare value switches them off.
void allowEmptySticky(LabelNode &lb)
{
    LabelNode *sticky = lb.find(QStringLiteral("sticky"));
    if (sticky && sticky->value && sticky->children.empty()) {
        if (!sticky->isTrueLeaf())
            return void(lb.remove(QStringLiteral("sticky")));
        sticky->value.reset();
        sticky->child(QStringLiteral("cookie"));
    }
    LabelNode *cookie = sticky ? sticky->find(QStringLiteral("cookie")) : nullptr;
    if (cookie && cookie->value && cookie->children.empty()) {
        if (!cookie->isTrueLeaf())
            return void(sticky->remove(QStringLiteral("cookie")));
        cookie->value.reset();
    }
}

/// Every service gets exactly one server, pointing at this container.
QStringList buildServices(Conversion &c, LabelNode &http)
{
    LabelNode *services = http.find(QStringLiteral("services"));
    if (!services || services->children.empty()) {
        services = &http.child(QStringLiteral("services"));
        services->value.reset();
        services->child(c.name).child(QStringLiteral("loadBalancer"));
    }
    QStringList names;
    for (auto &[serviceName, service] : services->children) {
        names.append(serviceName);
        if (service.value)
            continue; // `services.x=…`: the schema reports the bad shape
        LabelNode &lb = service.child(QStringLiteral("loadBalancer"));
        allowEmptySticky(lb);
        buildServer(c, serviceName, lb);
    }
    return names;
}

void linkRouter(
    Conversion &c, const QString &routerName, LabelNode &router, const QStringList &services)
{
    if (router.value)
        return; // `routers.x=…`: the schema reports the bad shape
    if (!router.find(QStringLiteral("rule"))) {
        RuleTemplateData data { c.name, c.container.name, c.container.labels };
        Expected<QString> rule = renderDefaultRule(c.spec.defaultRule, data);
        if (rule)
            router.child(QStringLiteral("rule")).value = *rule;
        else
            c.routerErrors[routerName].push_back(Error { rule.error().message,
                { c.where, 0, 0, QStringLiteral("providers.docker.defaultRule") },
                rule.error().hint });
    }
    if (router.find(QStringLiteral("service")))
        return;
    if (services.size() == 1)
        router.child(QStringLiteral("service")).value = services.front();
    else
        c.routerErrors[routerName].push_back(errorAt(c, {},
            Error { QStringLiteral("router \"%1\" cannot be linked automatically with multiple "
                                   "services: [%2]")
                        .arg(routerName, services.join(QStringLiteral(", "))),
                {}, QStringLiteral("set traefik.http.routers.%1.service").arg(routerName) }));
}

void buildRouters(Conversion &c, LabelNode &http, const QStringList &services)
{
    LabelNode *routers = http.find(QStringLiteral("routers"));
    if (!routers || routers->children.empty()) {
        // Traefik creates no default router for a container with several services.
        if (services.size() > 1)
            return;
        routers = &http.child(QStringLiteral("routers"));
        routers->value.reset();
        routers->child(c.name);
    }
    for (auto &[routerName, router] : routers->children)
        linkRouter(c, routerName, router, services);
}

void relocate(const Conversion &c, Error &e)
{
    QString path = e.where.path.toLower();
    path.replace(QLatin1String("loadbalancer.servers[0]"), QLatin1String("loadbalancer.server"));
    const QString label = firstLabelUnder(c, path);
    if (!label.isEmpty())
        e.where = { QStringLiteral("%1 label \"%2\"").arg(c.where, label), 0, 0, {} };
    else
        e.where.file = c.where;
}

/// Gives every router of the container the errors of every other part of it: one bad label
/// takes the whole container out of service, with the reason on each of its routes.
void spreadErrors(config::DynamicConfig &config)
{
    std::vector<Error> all = config.errors;
    for (const auto &service : config.services)
        all.insert(all.end(), service.origin.errors.begin(), service.origin.errors.end());
    for (const auto &middleware : config.middlewares)
        all.insert(all.end(), middleware.origin.errors.begin(), middleware.origin.errors.end());
    for (const auto &router : config.routers)
        all.insert(all.end(), router.origin.errors.begin(), router.origin.errors.end());
    for (auto &router : config.routers) {
        for (const Error &e : all) {
            const bool own = std::any_of(router.origin.errors.begin(), router.origin.errors.end(),
                [&](const Error &o) { return o.toString() == e.toString(); });
            if (!own)
                router.origin.errors.push_back(e);
        }
    }
}

config::DynamicConfig readTree(Conversion &c)
{
    LabelNode document;
    document.child(QStringLiteral("http"))
        = c.tree.root.children.empty() ? LabelNode {} : *c.tree.root.find(QStringLiteral("http"));
    config::DynamicConfig out;
    config::schema::readDynamic(config::Node(document.toYaml(), c.where, QString()), out);
    for (Error &e : out.errors)
        relocate(c, e);
    auto attach = [&](auto &objects, const std::map<QString, std::vector<Error>> &extra) {
        for (auto &object : objects) {
            for (Error &e : object.origin.errors)
                relocate(c, e);
            object.origin.where.file = c.where;
            const auto it = extra.find(object.name);
            if (it == extra.end())
                continue;
            // A defaultRule that failed to render already says why the rule is missing.
            std::erase_if(object.origin.errors,
                [](const Error &e) { return e.message == QLatin1String("missing \"rule\""); });
            object.origin.errors.insert(
                object.origin.errors.end(), it->second.begin(), it->second.end());
        }
    };
    attach(out.routers, c.routerErrors);
    attach(out.services, c.serviceErrors);
    attach(out.middlewares, std::map<QString, std::vector<Error>> {});
    out.errors.insert(out.errors.end(), c.tree.errors.begin(), c.tree.errors.end());
    return out;
}

} // namespace

QString containerBaseName(const ContainerInfo &container)
{
    const auto label = [&](const char *key) {
        const auto it = container.labels.find(QLatin1String(key));
        return it == container.labels.end() ? QString() : it->second;
    };
    const QString service = label("com.docker.compose.service");
    const QString project = label("com.docker.compose.project");
    if (!service.isEmpty() && !project.isEmpty())
        return normalizeName(service + u'_' + project);
    return normalizeName(container.name);
}

std::optional<ContainerRoutes> containerConfig(
    const ContainerInfo &container, const config::DockerProviderSpec &spec)
{
    Conversion c { container, spec, QStringLiteral("container \"%1\"").arg(container.name),
        containerBaseName(container), {}, {}, {}, true };
    c.tree = decodeLabels(container.labels, c.where);
    bool enabled = spec.exposedByDefault;
    if (c.tree.enable) {
        const std::optional<bool> parsed = parseGoBool(*c.tree.enable);
        if (!parsed)
            c.tree.errors.push_back(errorAt(c, QStringLiteral("traefik.enable"),
                Error { QStringLiteral("invalid boolean \"%1\"").arg(*c.tree.enable), {},
                    QStringLiteral("expected true or false") }));
        enabled = parsed.value_or(true);
    }
    if (!enabled)
        return std::nullopt;
    if (!container.serving()) {
        if (!spec.allowEmptyServices || container.state != QLatin1String("running"))
            return std::nullopt;
        c.withServers = false;
    }
    LabelNode &http = c.tree.root.child(QStringLiteral("http"));
    const QStringList services = buildServices(c, http);
    buildRouters(c, http, services);
    ContainerRoutes routes { c.name + u'-' + container.id, readTree(c) };
    spreadErrors(routes.config);
    for (const QString &label : c.tree.unsupported)
        routes.config.errors.push_back(errorAt(c, label,
            Error { QStringLiteral("tcp, udp and tls labels are not supported yet"), {},
                QStringLiteral("only traefik.http.* labels are routed") }));
    return routes;
}

} // namespace portico::provider::docker
