#pragma once

#include "core/common/header_list.h"
#include "core/observe/exchange_record.h"

#include <QList>
#include <QPair>
#include <QString>

namespace portico::ui {

/// How a captured body is best shown.
enum class BodyKind { Empty, Json, Html, Text, Form, Image, Binary };

/// A captured body made ready for display: Content-Encoding undone (observe::decodeBody), JSON
/// pretty-printed, form fields split, binary as a hex dump. Pure, so tests check it directly.
struct BodyPresentation
{
    BodyKind kind = BodyKind::Empty;
    QByteArray data; ///< decoded bytes (the raw capture when decoding failed)
    QString text; ///< what a text view shows: pretty JSON or HTML, the text, or the hex dump
    QList<QPair<QString, QString>> fields; ///< Form: decoded name/value pairs in order
    QString note; ///< `truncated: 1.0 MiB of 3.2 MiB captured`, a decoding error, …
};

/// Chooses the presentation of `body` from its Content-Type and what it contains.
BodyPresentation presentBody(const observe::CapturedBody &body, const HeaderList &headers);

/// Classic hex dump, 16 bytes a line: `00000010  48 65 6c 6c 6f …  |Hello…|`; at most `limit`
/// bytes are dumped (a note line says how many were left out).
QString hexDump(const QByteArray &data, qsizetype limit = 64 * 1024);

} // namespace portico::ui
