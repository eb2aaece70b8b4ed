#pragma once

#include <QString>
#include <QStringList>

namespace portico {

/// The candidate closest to `word` (case-insensitive edit distance ≤ 2, or a case-only
/// difference), for "did you mean" hints; empty when nothing is close.
QString closestMatch(const QString &word, const QStringList &candidates);

/// `did you mean "X"?` for the closest candidate, or an empty string.
QString didYouMean(const QString &word, const QStringList &candidates);

} // namespace portico
