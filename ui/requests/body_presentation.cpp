#include "ui/requests/body_presentation.h"

#include "core/observe/body_decoding.h"
#include "ui/requests/html_format.h"
#include "ui/requests/requests_model.h"

#include <QImage>
#include <QJsonDocument>
#include <QStringDecoder>
#include <QUrlQuery>

namespace portico::ui {

namespace {

QByteArray mediaType(const HeaderList &headers)
{
    QByteArray type = headers.value("content-type");
    const qsizetype semicolon = type.indexOf(';');
    if (semicolon >= 0)
        type.truncate(semicolon);
    return type.trimmed().toLower();
}

/// Text without NUL bytes that decodes as UTF-8 without errors.
bool isText(const QByteArray &data, QString *text)
{
    if (data.contains('\0'))
        return false;
    QStringDecoder decoder(QStringDecoder::Utf8);
    *text = decoder.decode(data);
    return !decoder.hasError();
}

bool looksLikeText(const QByteArray &type)
{
    return type.startsWith("text/") || type.contains("xml") || type.contains("javascript")
        || type.contains("json") || type.endsWith("+json") || type == "application/x-ndjson";
}

QList<QPair<QString, QString>> formFields(const QByteArray &data)
{
    // Form bodies encode spaces as '+' (HTML's application/x-www-form-urlencoded).
    QByteArray withSpaces = data;
    withSpaces.replace('+', "%20");
    QList<QPair<QString, QString>> fields;
    const QUrlQuery query(QString::fromLatin1(withSpaces));
    for (const auto &[name, value] : query.queryItems(QUrl::FullyDecoded))
        fields.append({ name, value });
    return fields;
}

QString captureNote(const observe::CapturedBody &body)
{
    if (body.evicted)
        return QObject::tr("body dropped to keep the capture budget (%1)")
            .arg(formatSize(body.size));
    if (body.truncated)
        return QObject::tr("truncated: %1 of %2 captured")
            .arg(formatSize(body.data.size()), formatSize(body.size));
    return {};
}

void classify(BodyPresentation &out, const QByteArray &type)
{
    const QByteArray &data = out.data;
    if (type.startsWith("image/")) {
        if (!QImage::fromData(data).isNull()) {
            out.kind = BodyKind::Image;
            return;
        }
    }
    if (type == "application/x-www-form-urlencoded") {
        out.kind = BodyKind::Form;
        out.fields = formFields(data);
        out.text = QString::fromLatin1(data);
        return;
    }
    QString text;
    const bool textual = isText(data, &text);
    const QByteArray trimmed = data.trimmed();
    if (textual && (type.contains("json") || trimmed.startsWith('{') || trimmed.startsWith('['))) {
        const QJsonDocument json = QJsonDocument::fromJson(data);
        if (!json.isNull()) {
            out.kind = BodyKind::Json;
            out.text = QString::fromUtf8(json.toJson(QJsonDocument::Indented)).trimmed();
            return;
        }
    }
    if (textual && (looksLikeText(type) || type.isEmpty() || !type.startsWith("image/"))) {
        out.kind = type.contains("html") ? BodyKind::Html : BodyKind::Text;
        out.text = out.kind == BodyKind::Html ? prettyHtml(text) : text;
        return;
    }
    out.kind = BodyKind::Binary;
    out.text = hexDump(data);
}

} // namespace

BodyPresentation presentBody(const observe::CapturedBody &body, const HeaderList &headers)
{
    BodyPresentation out;
    out.note = captureNote(body);
    if (body.data.isEmpty()) {
        if (out.note.isEmpty() && body.size == 0)
            out.note = QObject::tr("no body");
        return out;
    }
    out.data = body.data;
    if (headers.contains("content-encoding")) {
        auto decoded = observe::decodeBody(body.data, headers);
        if (decoded) {
            out.data = *decoded;
        } else {
            // Shown raw: a truncated capture cannot be decompressed to its end.
            const QString why = QObject::tr("not decoded: %1").arg(decoded.error().message);
            out.note = out.note.isEmpty() ? why : out.note + QStringLiteral("; ") + why;
            out.kind = BodyKind::Binary;
            out.text = hexDump(out.data);
            return out;
        }
    }
    classify(out, mediaType(headers));
    return out;
}

QString hexDump(const QByteArray &data, qsizetype limit)
{
    QString out;
    const qsizetype shown = qMin(data.size(), limit);
    out.reserve(shown * 4 + 64);
    for (qsizetype offset = 0; offset < shown; offset += 16) {
        out += QStringLiteral("%1  ").arg(offset, 8, 16, QLatin1Char('0'));
        QString ascii;
        for (qsizetype i = 0; i < 16; ++i) {
            if (offset + i < shown) {
                const auto byte = uchar(data[offset + i]);
                out += QStringLiteral("%1 ").arg(byte, 2, 16, QLatin1Char('0'));
                ascii += byte >= 0x20 && byte < 0x7f ? QChar(char16_t(byte)) : QChar(u'.');
            } else {
                out += QStringLiteral("   ");
            }
            if (i == 7)
                out += u' ';
        }
        out += QStringLiteral(" |") + ascii + QStringLiteral("|\n");
    }
    if (shown < data.size())
        out += QObject::tr("… %1 more bytes not shown\n").arg(data.size() - shown);
    return out;
}

} // namespace portico::ui
