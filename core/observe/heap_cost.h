#pragma once

#include <QByteArray>
#include <QString>
#include <QtGlobal>

#include <algorithm>
#include <vector>

namespace portico::observe::heap {

/// Bytes the allocator really takes for a request of `bytes` (the capture budget's unit): glibc's
/// malloc on 64-bit systems keeps an 8-byte size word before each chunk and rounds chunks to 16
/// bytes with a 32-byte minimum. Blocks of 128 KiB or more may be page-rounded mappings instead,
/// until glibc raises its mapping threshold (it does after the first such block is freed): that
/// is at most 4 KiB (3 %) more, not modelled. Other allocators differ by a few bytes per block.
constexpr qint64 chunk(qint64 bytes)
{
    constexpr qint64 kWord = 8;
    constexpr qint64 kMinChunk = 32;
    return bytes <= 0 ? 0 : std::max(kMinChunk, (bytes + kWord + 15) & ~qint64(15));
}

/// What a block of Qt array data adds to its elements: the QArrayData header and the two bytes
/// Qt reserves past the capacity (for QByteArray's and QString's terminating NUL).
constexpr qint64 kArrayHeader = qint64(sizeof(QArrayData)) + 2;

/// The heap block `array` shares (null for a null array, a literal or fromRawData).
inline const void *blockOf(const QByteArray &array)
{
    return const_cast<QByteArray &>(array).data_ptr().d_ptr();
}
inline const void *blockOf(const QString &text)
{
    return const_cast<QString &>(text).data_ptr().d_ptr();
}

/// Bytes of the heap block behind `array`: its whole capacity, not its size; 0 without a block.
inline qint64 blockBytes(const QByteArray &array)
{
    return blockOf(array) ? chunk(kArrayHeader + array.capacity()) : 0;
}
inline qint64 blockBytes(const QString &text)
{
    return blockOf(text) ? chunk(kArrayHeader + 2 * text.capacity()) : 0;
}

/// Bytes of a vector's element block (its capacity).
template <typename T> qint64 vectorBytes(const std::vector<T> &v)
{
    return chunk(qint64(v.capacity() * sizeof(T)));
}

/// True when both arrays share one heap block (a copy of a header list shares its bytes).
inline bool sameBlock(const QByteArray &a, const QByteArray &b)
{
    const void *block = blockOf(a);
    return block && block == blockOf(b);
}

} // namespace portico::observe::heap
