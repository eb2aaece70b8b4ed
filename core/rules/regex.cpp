#include "core/rules/regex.h"

#include <re2/re2.h>

namespace portico::rules {

Expected<RegexPtr> compileRegex(const Argument &pattern)
{
    RE2::Options options;
    options.set_log_errors(false);
    // Groups only cost time here: matchers never read captures.
    options.set_never_capture(true);
    const re2::StringPiece text(pattern.value.constData(), size_t(pattern.value.size()));
    auto re = std::make_shared<const RE2>(text, options);
    if (!re->ok()) {
        return errorAt(pattern.column,
            QStringLiteral("invalid regular expression \"%1\": %2")
                .arg(QString::fromUtf8(pattern.value), QString::fromStdString(re->error())));
    }
    return RegexPtr(std::move(re));
}

bool regexFinds(const re2::RE2 &re, QByteArrayView text)
{
    return RE2::PartialMatch(re2::StringPiece(text.data(), size_t(text.size())), re);
}

} // namespace portico::rules
