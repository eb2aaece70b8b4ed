#pragma once

#include <QString>

namespace portico {

/// Where a piece of outside input came from: a file position and/or a config path.
struct SourceLocation
{
    QString file; ///< file path, empty for input that did not come from a file
    int line = 0; ///< 1-based, 0 when unknown
    int column = 0; ///< 1-based, 0 when unknown
    QString path; ///< config path such as `http.routers.api.rule`, may be empty

    /// `file:line:column: path` with the empty parts left out.
    QString toString() const;
    bool isEmpty() const { return file.isEmpty() && line == 0 && path.isEmpty(); }
};

/// A failure caused by outside input or the environment: what went wrong, where, and a hint.
struct Error
{
    QString message; ///< lower-case, offending value quoted: `unknown matcher "Hots"`
    SourceLocation where;
    QString hint; ///< optional: `did you mean "Host"?`

    /// `dev.yaml:12:7: http.routers.api.rule: unknown matcher "Hots" (did you mean "Host"?)`
    QString toString() const;
};

} // namespace portico
