#pragma once

#include "core/common/header_list.h"
#include "core/rules/rule.h"

#include <QList>
#include <QObject>
#include <QPair>
#include <QString>

/// A request described in a test row; facts() gives views into it.
struct Req
{
    QByteArray host = "example.com";
    QByteArray method = "GET";
    QByteArray path = "/";
    QByteArray query;
    QList<QPair<QByteArray, QByteArray>> headers;
    QString ip = QStringLiteral("192.0.2.10");

    Req &withHost(const char *h)
    {
        host = h;
        return *this;
    }
    Req &withMethod(const char *m)
    {
        method = m;
        return *this;
    }
    Req &withPath(const char *p)
    {
        path = p;
        return *this;
    }
    Req &withQuery(const char *q)
    {
        query = q;
        return *this;
    }
    Req &withHeader(const char *name, const char *value)
    {
        headers.append(qMakePair(QByteArray(name), QByteArray(value)));
        return *this;
    }
    Req &withIp(const char *address)
    {
        ip = QString::fromLatin1(address);
        return *this;
    }
};
Q_DECLARE_METATYPE(Req)

/// RequestFacts over its own copy of a Req (the facts hold views into it).
struct FactsHolder
{
    explicit FactsHolder(const Req &from);
    FactsHolder(const FactsHolder &) = delete;
    FactsHolder &operator=(const FactsHolder &) = delete;
    const Req request;
    portico::HeaderList headers;
    portico::rules::RequestFacts facts;
};

inline Req req()
{
    return Req();
}

/// Adds the rows of match(): rule, request, expected.
void addHostRows();
void addPathRows();
void addMethodHeaderRows();
void addQueryRows();
void addClientIpRows();
void addOperatorRows();
void addSyntaxRows();
/// Adds the rows of invalidRules(): rule, message substring, column, hint substring.
void addInvalidRows();

class tst_Rules : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void match_data();
    void match();
    void invalidRules_data();
    void invalidRules();
    void errorCarriesHintAndNoPosition();
    void defaultPriority_data();
    void defaultPriority();
    void requiredHosts_data();
    void requiredHosts();
    void ruleKeepsTextAndCopiesShare();
    void defaultRuleMatchesNothing();
    void headersAbsent();
    void table_data();
    void table();
    void tableWithThousandHostRouters();
    void tableWithThousandPathRouters();
    void emptyTable();
    void matchingDoesNotAllocate_data();
    void matchingDoesNotAllocate();
    void countingAllocatorWorks();
};
