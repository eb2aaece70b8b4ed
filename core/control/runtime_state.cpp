#include "core/control/runtime_state.h"

namespace portico::control {

QString statusName(Status status)
{
    switch (status) {
    case Status::Enabled:
        return QStringLiteral("enabled");
    case Status::Warning:
        return QStringLiteral("warning");
    case Status::Disabled:
        return QStringLiteral("disabled");
    }
    return {};
}

namespace {

template <typename Map> void collect(const Map &objects, std::vector<Error> &out)
{
    for (const auto &entry : objects)
        out.insert(out.end(), entry.second.errors.begin(), entry.second.errors.end());
}

} // namespace

std::vector<Error> RuntimeState::allErrors() const
{
    std::vector<Error> out = errors;
    collect(routers, out);
    collect(services, out);
    collect(middlewares, out);
    collect(tcpRouters, out);
    collect(tcpServices, out);
    collect(tcpMiddlewares, out);
    return out;
}

} // namespace portico::control
