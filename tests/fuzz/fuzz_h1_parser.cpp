// libFuzzer target for http::H1Parser: every input is parsed as a request stream and as a response
// stream, whole and split in two at an offset taken from the first byte, and both runs must agree.
#include "core/http/h1_parser.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using portico::http::H1Parser;

namespace {

/// Parses `parts` in order like successive reads and returns a digest of the events seen.
QByteArray run(H1Parser::Mode mode, const QByteArray &a, const QByteArray &b, bool head)
{
    portico::http::H1Limits limits;
    limits.maxHeaderBytes = 4096;
    limits.maxUriBytes = 1024;
    H1Parser parser(mode, limits);
    parser.setRequestMethod(head ? "HEAD" : "GET");
    QByteArray digest;
    QByteArray pending;
    for (const QByteArray *part : { &a, &b }) {
        pending += *part;
        while (!pending.isEmpty()) {
            const auto r = parser.parse(pending.constData(), size_t(pending.size()));
            if (r.consumed > size_t(pending.size()))
                std::abort();
            if (r.event == H1Parser::Event::Body)
                digest += "b" + parser.body().toByteArray();
            else if (r.event != H1Parser::Event::NeedMore)
                digest += char('0' + int(r.event));
            pending.remove(0, qsizetype(r.consumed));
            if (r.event == H1Parser::Event::Error)
                return digest + QByteArray::number(parser.errorStatus());
            if (r.event == H1Parser::Event::NeedMore)
                break;
            if (r.event == H1Parser::Event::MessageComplete && parser.upgrade())
                return digest + "u";
        }
    }
    digest += char('0' + int(parser.finish().event));
    return digest;
}

/// Body pieces may be split differently; compare with body bytes merged.
QByteArray merged(const QByteArray &digest)
{
    QByteArray out = digest;
    out.replace("b", "");
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const QByteArray input(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    const qsizetype split = input.isEmpty() ? 0 : data[0] % (input.size() + 1);
    for (H1Parser::Mode mode : { H1Parser::Mode::Request, H1Parser::Mode::Response }) {
        const bool head = (data[0] & 0x80) != 0;
        const QByteArray whole = run(mode, input, {}, head);
        const QByteArray parts = run(mode, input.left(split), input.mid(split), head);
        if (merged(whole) != merged(parts))
            std::abort();
    }
    return 0;
}
