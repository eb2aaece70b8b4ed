#pragma once

#include <QJsonObject>
#include <QString>

namespace portico::control {

/// The human-readable explanation `portico explain URL` prints (and the GUI's explain field
/// shows) for `explanation`, the JSON of toJson(Explanation) / `GET /api/portico/explain`; `url`
/// is the URL as the person typed it. Ends with a newline.
QString explanationText(const QJsonObject &explanation, const QString &url);

} // namespace portico::control
