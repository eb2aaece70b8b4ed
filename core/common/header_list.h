#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <vector>

namespace portico {

/// One header line as received: name spelling and value kept verbatim (value trimmed of OWS).
struct HeaderField
{
    QByteArray name;
    QByteArray value;
};

/// Ordered list of header fields with case-insensitive name lookup (RFC 9110 §5.1).
/// Keeps duplicates and their order; small linear scans beat hashing at typical sizes.
class HeaderList
{
public:
    using const_iterator = std::vector<HeaderField>::const_iterator;

    void add(QByteArray name, QByteArray value);
    /// Replaces every field of that name by one field (appended if absent). A QByteArrayLiteral
    /// name is stored without copying.
    void set(QByteArray name, QByteArray value);
    /// Removes every field of that name; returns how many were removed.
    int remove(QByteArrayView name);
    bool contains(QByteArrayView name) const;
    /// First value of that name, or a null QByteArray.
    QByteArray value(QByteArrayView name) const;
    /// Every value of that name in order (one entry per field line).
    std::vector<QByteArray> values(QByteArrayView name) const;
    /// Values of that name joined with ", " (RFC 9110 §5.3 combination).
    QByteArray combined(QByteArrayView name) const;
    /// True when a comma-separated list header of that name contains the token (case-insensitive).
    bool hasToken(QByteArrayView name, QByteArrayView token) const;

    void clear() { m_fields.clear(); }
    bool isEmpty() const { return m_fields.empty(); }
    size_t size() const { return m_fields.size(); }
    const HeaderField &at(size_t i) const { return m_fields[i]; }
    const_iterator begin() const { return m_fields.begin(); }
    const_iterator end() const { return m_fields.end(); }
    std::vector<HeaderField> &fields() { return m_fields; }

    static bool nameEquals(QByteArrayView a, QByteArrayView b);

private:
    std::vector<HeaderField> m_fields;
};

} // namespace portico
