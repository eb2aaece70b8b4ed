// libFuzzer target for the configuration loader: arbitrary bytes as a dynamic (file-provider)
// document and as a static document, plus the scalar parsers the schema uses. The loader must
// never crash, throw or hang; every problem has to come back as an Error.

#include "core/config/address.h"
#include "core/config/duration.h"
#include "core/config/loader.h"

#include <QByteArray>
#include <QString>

#include <cstddef>
#include <cstdint>

namespace {

/// Renders every error, so formatting paths (locations, hints) run too.
void render(const std::vector<portico::Error> &errors)
{
    for (const portico::Error &e : errors)
        (void)e.toString();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const QString file = QStringLiteral("fuzz.yaml");

    const portico::config::DynamicConfig dynamic = portico::config::parseDynamicConfig(bytes, file);
    render(dynamic.errors);
    for (const auto &router : dynamic.routers)
        render(router.origin.errors);
    for (const auto &service : dynamic.services)
        render(service.origin.errors);
    for (const auto &middleware : dynamic.middlewares) {
        render(middleware.origin.errors);
        (void)middleware.options.location();
    }

    render(portico::config::parseStaticConfig(bytes, file).errors);

    if (size < 256) {
        const QString text = QString::fromUtf8(bytes);
        (void)portico::config::parseDuration(text);
        (void)portico::config::parseListenAddress(text);
    }
    return 0;
}
