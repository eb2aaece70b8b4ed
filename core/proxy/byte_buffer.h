#pragma once

#include <QByteArrayView>

#include <cstddef>
#include <cstring>
#include <memory>

namespace portico::proxy {

/// A contiguous FIFO of bytes: append at the end, consume from the front. Used for socket input
/// and output so reads and writes are single syscalls on one region, without per-chunk objects.
class ByteBuffer
{
public:
    bool isEmpty() const { return m_begin == m_end; }
    size_t size() const { return m_end - m_begin; }
    const char *data() const { return m_data.get() + m_begin; }
    QByteArrayView view() const { return { data(), qsizetype(size()) }; }
    size_t capacity() const { return m_capacity; }

    void append(const char *bytes, size_t n)
    {
        if (n == 0)
            return;
        std::memcpy(reserve(n), bytes, n);
        m_end += n;
    }
    void append(QByteArrayView bytes) { append(bytes.data(), size_t(bytes.size())); }

    /// Room for at least `n` more bytes at the end; write there, then commit() what was written.
    char *reserve(size_t n)
    {
        if (m_capacity - m_end >= n)
            return m_data.get() + m_end;
        grow(n);
        return m_data.get() + m_end;
    }
    void commit(size_t n) { m_end += n; }

    void consume(size_t n)
    {
        m_begin += n;
        if (m_begin >= m_end)
            m_begin = m_end = 0;
    }
    /// Drops the contents and gives the memory back (idle connections keep no buffers).
    void release()
    {
        m_data.reset();
        m_begin = m_end = m_capacity = 0;
    }

private:
    void grow(size_t n)
    {
        const size_t used = size();
        if (m_begin > 0 && m_capacity - used >= n) {
            std::memmove(m_data.get(), data(), used);
        } else {
            size_t capacity = m_capacity ? m_capacity : 4096;
            while (capacity - used < n)
                capacity *= 2;
            auto fresh = std::make_unique_for_overwrite<char[]>(capacity);
            if (used)
                std::memcpy(fresh.get(), data(), used);
            m_data = std::move(fresh);
            m_capacity = capacity;
        }
        m_begin = 0;
        m_end = used;
    }

    std::unique_ptr<char[]> m_data;
    size_t m_begin = 0;
    size_t m_end = 0;
    size_t m_capacity = 0;
};

} // namespace portico::proxy
