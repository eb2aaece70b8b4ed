#include "core/rules/query_string.h"

#include "core/common/ascii.h"

namespace portico::rules::query {

namespace {

/// The decoded byte at encoded[i] and how many input bytes it used (1 or 3).
char decodeAt(QByteArrayView encoded, qsizetype i, qsizetype &used)
{
    const char c = encoded[i];
    used = 1;
    if (c == '+')
        return ' '; // application/x-www-form-urlencoded, as Go's QueryUnescape
    if (c != '%')
        return c;
    used = 3;
    return char(ascii::hexValue(encoded[i + 1]) * 16 + ascii::hexValue(encoded[i + 2]));
}

} // namespace

bool validEscapes(QByteArrayView encoded)
{
    for (qsizetype i = 0; i < encoded.size(); ++i) {
        if (encoded[i] != '%')
            continue;
        if (i + 2 >= encoded.size() || ascii::hexValue(encoded[i + 1]) < 0
            || ascii::hexValue(encoded[i + 2]) < 0)
            return false;
        i += 2;
    }
    return true;
}

bool decodedEquals(QByteArrayView encoded, QByteArrayView plain)
{
    qsizetype j = 0;
    for (qsizetype i = 0; i < encoded.size();) {
        qsizetype used = 0;
        const char c = decodeAt(encoded, i, used);
        if (j >= plain.size() || plain[j] != c)
            return false;
        i += used;
        ++j;
    }
    return j == plain.size();
}

void decodeInto(QByteArrayView encoded, QVarLengthArray<char, 256> &out)
{
    out.clear();
    for (qsizetype i = 0; i < encoded.size();) {
        qsizetype used = 0;
        out.append(decodeAt(encoded, i, used));
        i += used;
    }
}

} // namespace portico::rules::query
