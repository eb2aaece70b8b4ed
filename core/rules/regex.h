#pragma once

#include "core/common/expected.h"
#include "core/rules/node.h"

#include <QByteArrayView>

#include <memory>

namespace re2 {
class RE2;
}

namespace portico::rules {

using RegexPtr = std::shared_ptr<const re2::RE2>;

/// Compiles a Go-syntax regular expression with RE2 (linear-time matching, unanchored unless the
/// pattern anchors itself); errors point at the argument's column.
Expected<RegexPtr> compileRegex(const Argument &pattern);

/// True when `re` matches anywhere in `text`.
bool regexFinds(const re2::RE2 &re, QByteArrayView text);

} // namespace portico::rules
