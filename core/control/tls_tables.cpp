#include "core/control/tls_tables.h"

#include "core/control/qualified_name.h"
#include "core/control/table_builder.h"
#include "core/proxy/tls_server.h"

#include <algorithm>
#include <yaml-cpp/yaml.h>

namespace portico::control {

namespace {

const QString kDefault = QStringLiteral("default");

/// An error reported by the TLS module with a field in `where.path`, placed at that field of
/// the object in its file.
Error rootedAt(const config::Origin &origin, const QString &objectPath, Error error)
{
    const QString field = error.where.path;
    SourceLocation where = field.isEmpty() ? origin.where : origin.at(field);
    where.path = field.isEmpty() ? objectPath : objectPath + u'.' + field;
    error.where = where;
    return error;
}

Error certificateError(const config::TlsCertificateSpec &spec, const QString &path, Error error)
{
    SourceLocation where = spec.where;
    where.path = path;
    return Error { QStringLiteral("cannot load the certificate: ") + error.message, where,
        error.hint.isEmpty() ? QStringLiteral("the other certificates keep serving") : error.hint };
}

} // namespace

void TlsTables::build(const Snapshots &snapshots, RuntimeState &state)
{
    m_config = std::make_shared<tls::TlsConfig>();
    m_optionErrors.clear();
    m_byHost.clear();
    // Providers by rank, so the most trusted one's `default` options win a conflict.
    std::vector<std::pair<int, QString>> order;
    for (const auto &[provider, config] : snapshots)
        order.push_back({ TableBuilder::providerRank(provider), provider });
    std::sort(order.begin(), order.end());
    for (const auto &[rank, provider] : order) {
        const config::DynamicConfig &config = snapshots.at(provider);
        for (const config::TlsOptionsSpec &spec : config.tlsOptions)
            addOptions(provider, spec, state);
        addCertificates(provider, config, state);
    }
    if (!m_config->options.count(kDefault)) {
        config::TlsOptionsSpec defaults;
        defaults.name = kDefault;
        addOptions(QString(), defaults, state);
    }
    if (!m_config->defaultCertificate) {
        auto generated = tls::generatedDefaultCertificate();
        if (generated)
            m_config->defaultCertificate = *generated;
        else
            state.errors.push_back(generated.error());
    }
}

void TlsTables::addOptions(
    const QString &provider, const config::TlsOptionsSpec &spec, RuntimeState &state)
{
    // `default` is one set whatever provider defines it (Traefik's default TLS options).
    const QString name = spec.name == kDefault ? kDefault : qualify(spec.name, provider);
    if (m_config->options.count(name) || m_optionErrors.count(name))
        return;
    const QString path = QStringLiteral("tls.options.") + spec.name;
    if (!spec.origin.errors.empty()) {
        state.errors.insert(
            state.errors.end(), spec.origin.errors.begin(), spec.origin.errors.end());
        m_optionErrors[name] = QStringLiteral("TLS options \"%1\" are in error").arg(name);
        return;
    }
    auto compiled
        = tls::compileServerOptions(name, spec, &proxy::TlsServerHandshake::clientHelloCallback);
    if (!compiled) {
        state.errors.push_back(rootedAt(spec.origin, path, compiled.error()));
        m_optionErrors[name] = QStringLiteral("TLS options \"%1\" are in error").arg(name);
        return;
    }
    m_config->options[name] = *compiled;
}

void TlsTables::addCertificates(
    const QString &provider, const config::DynamicConfig &config, RuntimeState &state)
{
    Q_UNUSED(provider);
    for (size_t i = 0; i < config.tlsCertificates.size(); ++i) {
        const config::TlsCertificateSpec &spec = config.tlsCertificates[i];
        if (spec.certFile.isEmpty() || spec.keyFile.isEmpty())
            continue; // reported by the config layer
        auto loaded = tls::loadServerCertificate(spec.certFile, spec.keyFile);
        if (loaded)
            m_config->certificates.push_back(*loaded);
        else
            state.errors.push_back(certificateError(
                spec, QStringLiteral("tls.certificates[%1]").arg(i), loaded.error()));
    }
    for (const config::TlsStoreSpec &store : config.tlsStores) {
        if (store.name != kDefault || !store.defaultCertificate || m_config->defaultCertificate)
            continue;
        if (!store.origin.errors.empty()) {
            state.errors.insert(
                state.errors.end(), store.origin.errors.begin(), store.origin.errors.end());
            continue;
        }
        const config::TlsCertificateSpec &spec = *store.defaultCertificate;
        auto loaded = tls::loadServerCertificate(spec.certFile, spec.keyFile);
        if (loaded)
            m_config->defaultCertificate = *loaded;
        else
            state.errors.push_back(certificateError(
                spec, QStringLiteral("tls.stores.default.defaultCertificate"), loaded.error()));
    }
}

bool TlsTables::servesTls(const config::RouterSpec &spec, const config::EntryPointSpec &entryPoint)
{
    return spec.tls.has_value() || entryPoint.tls.has_value();
}

Expected<tls::ServerOptionsPtr> TlsTables::optionsFor(const config::RouterSpec &spec,
    const QString &provider, const config::EntryPointSpec &entryPoint) const
{
    QString written = spec.tls ? spec.tls->options : QString();
    if (written.isEmpty() && entryPoint.tls)
        written = entryPoint.tls->options;
    const QString name
        = written.isEmpty() || written == kDefault || written.startsWith(kDefault + u'@')
        ? kDefault
        : resolveReference(written, provider);
    const auto it = m_config->options.find(name);
    if (it != m_config->options.end())
        return it->second;
    const auto bad = m_optionErrors.find(name);
    SourceLocation where = spec.origin.at(QStringLiteral("tls.options"));
    where.path = spec.origin.where.path + QStringLiteral(".tls.options");
    return Error { bad != m_optionErrors.end()
            ? bad->second
            : QStringLiteral("unknown TLS options: %1").arg(name),
        where, QStringLiteral("define it under tls.options, or use \"default\"") };
}

void TlsTables::noteHosts(
    const QString &entryPoint, const rules::Rule &rule, const tls::ServerOptionsPtr &options)
{
    const auto &hosts = rule.requiredHosts();
    if (!hosts || !options)
        return;
    auto &index = m_byHost[entryPoint];
    for (const QByteArray &host : hosts->exact) {
        const QString name = QString::fromLatin1(host);
        const auto [it, inserted] = index.emplace(name, options);
        if (!inserted && it->second != options)
            it->second
                = m_config->defaultOptions(); // conflicting routers: Traefik warns, uses default
    }
}

void TlsTables::finish(proxy::RoutingTable &table) const
{
    table.tls = m_config;
    for (const auto &[entryPoint, hosts] : m_byHost) {
        auto &routes = table.tlsEntryPoints[entryPoint];
        for (const auto &[host, options] : hosts)
            routes.tlsOptionsByHost.emplace(host, options);
    }
}

std::optional<Snapshots> withEntryPointRedirections(
    const Snapshots &snapshots, const std::vector<config::EntryPointSpec> &entryPoints)
{
    std::optional<Snapshots> out;
    for (const config::EntryPointSpec &ep : entryPoints) {
        if (!ep.redirection)
            continue;
        if (!out)
            out = snapshots;
        const auto &r = *ep.redirection;
        QString port = r.to;
        for (const config::EntryPointSpec &target : entryPoints) {
            if (target.name == r.to)
                port = target.port ? QString::number(target.port) : QString();
        }
        if (port.startsWith(u':'))
            port.remove(0, 1);
        const QString suffix = ep.name + QStringLiteral("-to-") + r.to;
        config::DynamicConfig &internal = (*out)[QStringLiteral("internal")];

        YAML::Node options;
        options["scheme"] = r.scheme.toStdString();
        if (!port.isEmpty())
            options["port"] = port.toStdString();
        options["permanent"] = r.permanent;
        config::MiddlewareSpec middleware;
        middleware.name = QStringLiteral("redirect-") + suffix;
        middleware.kind = QStringLiteral("redirectScheme");
        middleware.options = config::Node(
            options, QString(), QStringLiteral("entryPoints.%1.http.redirections").arg(ep.name));
        middleware.origin.where = ep.where;
        internal.middlewares.push_back(middleware);

        if (std::none_of(internal.services.begin(), internal.services.end(),
                [](const config::ServiceSpec &s) { return s.name == QLatin1String("noop"); })) {
            config::ServiceSpec noop;
            noop.name = QStringLiteral("noop");
            noop.loadBalancer = config::LoadBalancerSpec {};
            internal.services.push_back(noop);
        }
        config::RouterSpec router;
        router.name = suffix;
        router.rule = QStringLiteral("HostRegexp(`^.+$`)");
        router.service = QStringLiteral("noop");
        router.middlewares = QStringList { middleware.name };
        router.priority = r.priority;
        router.entryPoints = QStringList { ep.name };
        router.origin.where = ep.where;
        internal.routers.push_back(router);
    }
    return out;
}

} // namespace portico::control
