#include "core/middleware/paused.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <array>

namespace portico::middleware {

namespace {

const QByteArray kHtml = QByteArrayLiteral("text/html");
const QByteArray kJson = QByteArrayLiteral("application/json");
const QByteArray kText = QByteArrayLiteral("text/plain");

/// The q-value `range` gives `type` (RFC 9110 §12.4.2), or -1 when the range does not cover it;
/// `specificity` says how closely it matched (exact 2, `type/*` 1, `*/*` 0).
double qualityFor(const QByteArray &range, const QByteArray &type, int &specificity)
{
    const QList<QByteArray> parts = range.split(';');
    const QByteArray media = parts.first().trimmed().toLower();
    if (media == type)
        specificity = 2;
    else if (media.endsWith("/*") && type.startsWith(media.chopped(1)))
        specificity = 1;
    else if (media == "*/*")
        specificity = 0;
    else
        return -1;
    for (qsizetype i = 1; i < parts.size(); ++i) {
        const QByteArray param = parts[i].trimmed();
        if (param.startsWith("q=") || param.startsWith("Q="))
            return param.mid(2).toDouble();
    }
    return 1;
}

/// The q-value of the most specific range in `accept` covering `type`; 0 when none does.
double quality(const QByteArray &accept, const QByteArray &type)
{
    double best = 0;
    int bestSpecificity = -1;
    for (const QByteArray &range : accept.split(',')) {
        int specificity = -1;
        const double q = qualityFor(range, type, specificity);
        if (q >= 0 && specificity > bestSpecificity) {
            best = q;
            bestSpecificity = specificity;
        }
    }
    return best;
}

QByteArray htmlEscaped(const QString &text)
{
    return text.toHtmlEscaped().toUtf8();
}

} // namespace

PausedPage::PausedPage(const QString &router)
{
    const QString name = router.section(QLatin1Char('@'), 0, 0);
    const QString resume = QStringLiteral("portico resume %1").arg(router);
    const QString headline = QStringLiteral("%1 is paused in Portico").arg(name);
    m_text = (headline
        + QStringLiteral("\n\nIts route is kept but switched off. Resume it from "
                         "the Portico window or with:\n\n    %1\n")
              .arg(resume))
                 .toUtf8();
    m_json = QJsonDocument(
                 QJsonObject { { QStringLiteral("message"), headline },
                     { QStringLiteral("router"), router }, { QStringLiteral("paused"), true },
                     { QStringLiteral("resume"), resume } })
                 .toJson(QJsonDocument::Compact)
        + '\n';
    m_html = QByteArrayLiteral("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                               "<title>")
        + htmlEscaped(headline)
        + QByteArrayLiteral("</title><style>body{font-family:system-ui,sans-serif;max-width:40em;"
                            "margin:4em auto;padding:0 1em;color:#222}code{background:#eee;"
                            "padding:.2em .4em;border-radius:4px}</style></head><body><h1>")
        + htmlEscaped(name) + QByteArrayLiteral(" is paused in Portico</h1><p>The route <code>")
        + htmlEscaped(router)
        + QByteArrayLiteral("</code> is kept but switched off, so nothing is forwarded to it.</p>"
                            "<p>Resume it from the Portico window or with "
                            "<code>")
        + htmlEscaped(resume)
        + QByteArrayLiteral("</code>, then reload this page.</p></body></html>\n");
}

std::optional<LocalResponse> PausedPage::handleRequest(RequestContext &context) const
{
    const QByteArray type = negotiate(context.request.headers.combined("Accept"));
    LocalResponse response;
    // 503: the name is known but deliberately not served right now (RFC 9110 §15.6.4).
    response.head.status = 503;
    response.head.headers.add("Content-Type", type + "; charset=utf-8");
    response.head.headers.add("Cache-Control", "no-store");
    response.head.headers.add("X-Content-Type-Options", "nosniff");
    response.body = type == kHtml ? m_html : type == kJson ? m_json : m_text;
    return response;
}

QByteArray PausedPage::negotiate(const QByteArray &accept)
{
    if (accept.trimmed().isEmpty())
        return kHtml;
    const std::array<QByteArray, 3> offers { kHtml, kJson, kText };
    QByteArray chosen = kHtml;
    double best = 0;
    for (const QByteArray &offer : offers) {
        const double q = quality(accept, offer);
        if (q > best) {
            best = q;
            chosen = offer;
        }
    }
    return chosen;
}

std::shared_ptr<const Middleware> pausedPage(const QString &router)
{
    return std::make_shared<const PausedPage>(router);
}

} // namespace portico::middleware
