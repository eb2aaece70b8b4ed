#include "core/control/qualified_name.h"

namespace portico::control {

QString qualify(const QString &name, const QString &provider)
{
    return name + u'@' + provider;
}

QString resolveReference(const QString &reference, const QString &provider)
{
    return reference.contains(u'@') ? reference : qualify(reference, provider);
}

QString providerOf(const QString &qualifiedName)
{
    const qsizetype at = qualifiedName.lastIndexOf(u'@');
    return at < 0 ? QString() : qualifiedName.mid(at + 1);
}

} // namespace portico::control
