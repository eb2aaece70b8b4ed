#pragma once

#include <QString>

namespace portico::ui {

/// Minified HTML laid out one element per line, indented by nesting, for reading: void elements
/// (`<br>`, `<meta>`, …), comments and doctypes do not nest; `<script>`, `<style>`, `<pre>` and
/// `<textarea>` keep their content as it was. HTML that already spans lines is returned as is.
/// Not a validating parser: a stray closing tag only stops indenting deeper than the left edge.
QString prettyHtml(const QString &html);

} // namespace portico::ui
