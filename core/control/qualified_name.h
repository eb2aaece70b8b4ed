#pragma once

#include <QString>

namespace portico::control {

/// `name@provider` as Traefik spells qualified names.
QString qualify(const QString &name, const QString &provider);

/// Resolves a reference written inside `provider`: a name without `@` refers to the same
/// provider, `name@other` to another provider's object.
QString resolveReference(const QString &reference, const QString &provider);

/// The provider part of a qualified name (`file` for `api@file`), empty when unqualified.
QString providerOf(const QString &qualifiedName);

} // namespace portico::control
