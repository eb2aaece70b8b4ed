#pragma once

#include "core/common/expected.h"

#include <QByteArray>
#include <QStringView>

namespace portico::rules {

/// A decoded string literal and how many characters of the input it spans (quotes included).
struct StringLiteral
{
    QByteArray value;
    qsizetype length = 0;
};

/// Decodes the Go string literal starting at `text[start]` (a backtick or a double quote);
/// errors are located at 1-based columns of `text`.
Expected<StringLiteral> readStringLiteral(QStringView text, qsizetype start);

} // namespace portico::rules
