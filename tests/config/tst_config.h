#pragma once

// Shared by the tst_config sources: the test class (scalars and static parts in tst_config.cpp,
// dynamic parts in tst_config_dynamic.cpp) and small helpers.

#include "core/config/loader.h"

#include <QObject>
#include <QStringList>

#include <initializer_list>

/// Schema rows for core/config: scalar parsers, static and dynamic documents.
class tst_Config : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void durations_data();
    void durations();
    void addresses_data();
    void addresses();
    void builtinDefault();
    void staticDefaults();
    void staticEveryField();
    void staticErrors_data();
    void staticErrors();
    void loadStaticFromFile();
    void dynamicEveryField();
    void dynamicOrigins();
    void dynamicErrors_data();
    void dynamicErrors();
    void dynamicEmptyDocuments_data();
    void dynamicEmptyDocuments();
    void yamlSyntaxErrors_data();
    void yamlSyntaxErrors();
    void middlewareOptionsKeepTheirNode();
};

namespace portico::testing {

/// QStringList from UTF-8 literals (QT_NO_CAST_FROM_ASCII forbids the implicit conversion).
QStringList strings(std::initializer_list<const char *> items);
/// toString() of each error.
QStringList messages(const std::vector<Error> &errors);
/// Every error of a dynamic configuration: per-object ones first (in object order), then global.
QStringList allErrors(const config::DynamicConfig &c);

} // namespace portico::testing
