#include "core/common/header_list.h"

#include "core/common/ascii.h"

#include <algorithm>

namespace portico {

namespace {

QByteArrayView trimmed(QByteArrayView v)
{
    while (!v.isEmpty() && (v.front() == ' ' || v.front() == '\t'))
        v = v.sliced(1);
    while (!v.isEmpty() && (v.back() == ' ' || v.back() == '\t'))
        v.chop(1);
    return v;
}

/// nameEquals() inlined into the scans below: every lookup compares each field's name.
inline bool sameName(QByteArrayView a, QByteArrayView b)
{
    return a.size() == b.size() && ascii::equalsIgnoreCase(a, b);
}

} // namespace

bool HeaderList::nameEquals(QByteArrayView a, QByteArrayView b)
{
    return sameName(a, b);
}

void HeaderList::add(QByteArray name, QByteArray value)
{
    m_fields.push_back({ std::move(name), std::move(value) });
}

void HeaderList::set(QByteArray name, QByteArray value)
{
    auto it = std::find_if(m_fields.begin(), m_fields.end(),
        [&](const HeaderField &f) { return sameName(f.name, name); });
    if (it == m_fields.end()) {
        add(std::move(name), std::move(value));
        return;
    }
    it->value = std::move(value);
    m_fields.erase(std::remove_if(it + 1, m_fields.end(),
                       [&](const HeaderField &f) { return sameName(f.name, name); }),
        m_fields.end());
}

int HeaderList::remove(QByteArrayView name)
{
    const auto before = m_fields.size();
    m_fields.erase(std::remove_if(m_fields.begin(), m_fields.end(),
                       [&](const HeaderField &f) { return sameName(f.name, name); }),
        m_fields.end());
    return int(before - m_fields.size());
}

bool HeaderList::contains(QByteArrayView name) const
{
    return std::any_of(m_fields.begin(), m_fields.end(),
        [&](const HeaderField &f) { return sameName(f.name, name); });
}

QByteArray HeaderList::value(QByteArrayView name) const
{
    for (const auto &f : m_fields) {
        if (sameName(f.name, name))
            return f.value;
    }
    return {};
}

std::vector<QByteArray> HeaderList::values(QByteArrayView name) const
{
    std::vector<QByteArray> out;
    for (const auto &f : m_fields) {
        if (sameName(f.name, name))
            out.push_back(f.value);
    }
    return out;
}

QByteArray HeaderList::combined(QByteArrayView name) const
{
    QByteArray out;
    for (const auto &f : m_fields) {
        if (!sameName(f.name, name))
            continue;
        if (!out.isNull())
            out += ", ";
        out += f.value.isNull() ? QByteArray("") : f.value;
    }
    return out;
}

bool HeaderList::hasToken(QByteArrayView name, QByteArrayView token) const
{
    for (const auto &f : m_fields) {
        if (!sameName(f.name, name))
            continue;
        QByteArrayView rest(f.value);
        while (!rest.isEmpty()) {
            const qsizetype comma = rest.indexOf(',');
            const QByteArrayView part = comma < 0 ? rest : rest.first(comma);
            if (sameName(trimmed(part), token))
                return true;
            rest = comma < 0 ? QByteArrayView() : rest.sliced(comma + 1);
        }
    }
    return false;
}

} // namespace portico
