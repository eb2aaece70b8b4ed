#pragma once

#include "core/common/expected.h"
#include "core/config/node.h"

#include <QByteArray>
#include <QString>

#include <vector>

namespace portico::config {

/// Parses the first YAML document of `text` into a root Node named after `file`. yaml-cpp's
/// exceptions stop here and become an Error with the position (core never lets one escape).
/// A second document is not read; it adds a warning to `warnings`. An empty text (or one with only
/// comments) gives a null root.
Expected<Node> loadYamlDocument(
    const QByteArray &text, const QString &file, std::vector<Error> &warnings);

} // namespace portico::config
