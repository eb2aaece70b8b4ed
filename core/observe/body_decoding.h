#pragma once

#include "core/common/expected.h"
#include "core/common/header_list.h"

#include <QByteArray>

namespace portico::observe {

/// The body with its Content-Encoding (gzip, deflate, br, and chains of them) undone, for display.
/// Output is bounded by `limit` bytes (decompression bombs); an unknown coding is an error.
Expected<QByteArray> decodeBody(
    const QByteArray &data, const HeaderList &headers, qint64 limit = qint64(16) << 20);

} // namespace portico::observe
