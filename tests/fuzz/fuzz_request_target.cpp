// libFuzzer target: arbitrary bytes as a request path, request-target and Host header. Besides
// memory safety it checks the invariants the data plane relies on: a normalised path is
// idempotent, holds no raw `#` or control byte, starts with `/` when the input did, and the
// routing path of it never fails.
#include "core/http/message.h"
#include "core/http/request_target.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace portico;

namespace {

void check(bool condition)
{
    if (!condition)
        std::abort();
}

void checkNormalized(QByteArrayView input, bool sanitize)
{
    const auto normalized = http::normalizePath(input, sanitize);
    if (!normalized)
        return;
    const QByteArray &path = *normalized;
    for (const char c : path)
        check(c != '#' && static_cast<unsigned char>(c) >= 0x20 && c != 0x7f);
    check(!input.startsWith('/') || path.startsWith('/'));
    // A relative input may clean to an empty path, which stands for `/`; rooted ones are stable.
    if (path.startsWith('/')) {
        const auto again = http::normalizePath(path, sanitize);
        check(again.ok() && *again == path);
    }
    if (sanitize)
        check(!http::hasDotSegment(path));
    const QByteArray routing = http::routingPath(path);
    check(routing.size() <= path.size());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    checkNormalized(input, true);
    checkNormalized(input, false);

    const QByteArray host = http::canonicalHost(input);
    check(host.size() <= input.size());

    if (const auto target = http::normalizeTarget(input, true, false); target.ok()) {
        http::RequestHead head;
        head.target = *target;
        head.headers.add("Host", input.toByteArray());
        (void)http::requestHost(head);
        (void)http::rewriteTargetPath(*target, "/rewritten");
    }
    (void)http::escapedPath(input, http::percentDecode(input));
    return 0;
}
