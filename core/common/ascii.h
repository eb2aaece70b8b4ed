#pragma once

#include <QByteArrayView>

namespace portico::ascii {

/// ASCII lower-casing of one byte; other bytes pass through unchanged.
inline char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? char(c + ('a' - 'A')) : c;
}

/// True when `a` and `b` are equal ignoring ASCII case.
inline bool equalsIgnoreCase(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (lower(a[i]) != lower(b[i]))
            return false;
    }
    return true;
}

/// True when any byte is an upper-case ASCII letter.
inline bool hasUpper(QByteArrayView v)
{
    for (const char c : v) {
        if (c >= 'A' && c <= 'Z')
            return true;
    }
    return false;
}

/// `v` without one trailing dot (a fully qualified host name names the same host).
inline QByteArrayView withoutTrailingDot(QByteArrayView v)
{
    return (!v.isEmpty() && v.back() == '.') ? v.chopped(1) : v;
}

/// The value of a hexadecimal digit, or -1 when `c` is not one.
inline int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

} // namespace portico::ascii
