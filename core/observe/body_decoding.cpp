#include "core/observe/body_decoding.h"

#include <QList>

#include <brotli/decode.h>
#include <zlib.h>

namespace portico::observe {

namespace {

constexpr int kChunk = 64 * 1024;

Error decodeError(const QString &message)
{
    Error error;
    error.message = message;
    return error;
}

Error tooLarge(qint64 limit)
{
    return decodeError(QStringLiteral("decoded body exceeds %1 bytes").arg(limit));
}

/// Inflates with zlib; `windowBits` chooses the wrapper (15 + 32: gzip or zlib header, -15: raw
/// deflate). Input that stops early (a body truncated by the capture cap) yields what it gave.
Expected<QByteArray> inflate(const QByteArray &data, int windowBits, qint64 limit)
{
    z_stream z {};
    if (inflateInit2(&z, windowBits) != Z_OK)
        return decodeError(QStringLiteral("zlib initialisation failed"));
    QByteArray out;
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
    z.avail_in = uInt(data.size());
    int status = Z_OK;
    while (status == Z_OK) {
        const qsizetype before = out.size();
        out.resize(before + kChunk);
        z.next_out = reinterpret_cast<Bytef *>(out.data() + before);
        z.avail_out = kChunk;
        status = ::inflate(&z, Z_NO_FLUSH);
        out.resize(before + (kChunk - qsizetype(z.avail_out)));
        if (out.size() > limit) {
            inflateEnd(&z);
            return tooLarge(limit);
        }
        // RFC 9112 §7.2: a gzip body may hold several members; continue with the next one.
        if (status == Z_STREAM_END && z.avail_in > 0 && windowBits > 0)
            status = inflateReset(&z);
        if (status == Z_BUF_ERROR && z.avail_in == 0)
            break; // input ended early: keep what was decoded
    }
    inflateEnd(&z);
    if (status != Z_STREAM_END && status != Z_BUF_ERROR)
        return decodeError(QStringLiteral("corrupt compressed data (zlib error %1)").arg(status));
    return out;
}

/// RFC 9110 §8.4.1.2: `deflate` is the zlib format (RFC 1950), but some servers send raw
/// deflate (RFC 1951); try the former, then the latter, like browsers do.
Expected<QByteArray> inflateDeflate(const QByteArray &data, qint64 limit)
{
    auto zlibFormat = inflate(data, 15, limit);
    if (zlibFormat || zlibFormat.error().message.startsWith(QLatin1String("decoded body")))
        return zlibFormat;
    return inflate(data, -15, limit);
}

/// RFC 7932 (brotli), bounded by `limit`.
Expected<QByteArray> unbrotli(const QByteArray &data, qint64 limit)
{
    BrotliDecoderState *state = BrotliDecoderCreateInstance(nullptr, nullptr, nullptr);
    if (!state)
        return decodeError(QStringLiteral("brotli initialisation failed"));
    QByteArray out;
    size_t availableIn = size_t(data.size());
    auto nextIn = reinterpret_cast<const uint8_t *>(data.constData());
    BrotliDecoderResult result = BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT;
    while (result == BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT) {
        const qsizetype before = out.size();
        out.resize(before + kChunk);
        size_t availableOut = kChunk;
        auto nextOut = reinterpret_cast<uint8_t *>(out.data() + before);
        result = BrotliDecoderDecompressStream(
            state, &availableIn, &nextIn, &availableOut, &nextOut, nullptr);
        out.resize(before + (kChunk - qsizetype(availableOut)));
        if (out.size() > limit) {
            BrotliDecoderDestroyInstance(state);
            return tooLarge(limit);
        }
    }
    BrotliDecoderDestroyInstance(state);
    if (result == BROTLI_DECODER_RESULT_ERROR)
        return decodeError(QStringLiteral("corrupt brotli data"));
    return out; // SUCCESS, or NEEDS_MORE_INPUT for a truncated body: what was decoded
}

Expected<QByteArray> decodeOne(const QByteArray &coding, const QByteArray &data, qint64 limit)
{
    if (coding == "gzip" || coding == "x-gzip")
        return inflate(data, 15 + 16, limit);
    if (coding == "deflate")
        return inflateDeflate(data, limit);
    if (coding == "br")
        return unbrotli(data, limit);
    return decodeError(
        QStringLiteral("unknown content coding \"%1\"").arg(QString::fromLatin1(coding)));
}

} // namespace

Expected<QByteArray> decodeBody(const QByteArray &data, const HeaderList &headers, qint64 limit)
{
    // RFC 9110 §8.4: codings are listed in the order they were applied; undo them backwards.
    QList<QByteArray> codings;
    for (const QByteArray &part : headers.combined("Content-Encoding").split(',')) {
        const QByteArray coding = part.trimmed().toLower();
        if (!coding.isEmpty() && coding != "identity")
            codings.append(coding);
    }
    QByteArray body = data;
    for (auto it = codings.crbegin(); it != codings.crend(); ++it) {
        auto decoded = decodeOne(*it, body, limit);
        if (!decoded)
            return decoded;
        body = std::move(*decoded);
    }
    if (body.size() > limit)
        return tooLarge(limit);
    return body;
}

} // namespace portico::observe
