#include "app/logging.h"

#include <QLoggingCategory>

namespace portico::app {

void configureLogging(const config::LogSpec &log)
{
    qSetMessagePattern(QStringLiteral(
        "%{time yyyy-MM-ddTHH:mm:ssZ} %{if-debug}DBG%{endif}%{if-info}INF%{endif}"
        "%{if-warning}WRN%{endif}%{if-critical}ERR%{endif}%{if-fatal}FTL%{endif} %{message}"));
    const QString level = log.level.toUpper();
    QString rules = QStringLiteral("portico.*.debug=false\n");
    if (level == u"DEBUG" || level == u"TRACE")
        rules = QStringLiteral("portico.*.debug=true\n");
    else if (level == u"WARN")
        rules += QStringLiteral("portico.*.info=false\n");
    else if (level != u"INFO") // ERROR (Traefik's default), FATAL, PANIC, or unknown → ERROR
        rules += QStringLiteral("portico.*.info=false\nportico.*.warning=false\n");
    QLoggingCategory::setFilterRules(rules);
}

} // namespace portico::app
