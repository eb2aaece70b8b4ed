#include "core/config/yaml_document.h"

#include <exception>
#include <optional>
#include <sstream>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

namespace portico::config {

namespace {

/// Counts documents and notices when yaml-cpp stops making progress: 0.7 loops forever on a
/// document that starts with a stray "," (it emits an empty document without consuming it).
class DocumentProbe : public YAML::EventHandler
{
public:
    void OnDocumentStart(const YAML::Mark &mark) override
    {
        m_stuck = m_documents > 0 && mark.pos == m_lastStart.pos;
        m_lastStart = mark;
        ++m_documents;
    }
    void OnDocumentEnd() override { }
    void OnNull(const YAML::Mark &, YAML::anchor_t) override { }
    void OnAlias(const YAML::Mark &, YAML::anchor_t) override { }
    void OnScalar(
        const YAML::Mark &, const std::string &, YAML::anchor_t, const std::string &) override
    { }
    void OnSequenceStart(
        const YAML::Mark &, const std::string &, YAML::anchor_t, YAML::EmitterStyle::value) override
    { }
    void OnSequenceEnd() override { }
    void OnMapStart(
        const YAML::Mark &, const std::string &, YAML::anchor_t, YAML::EmitterStyle::value) override
    { }
    void OnMapEnd() override { }

    int documents() const { return m_documents; }
    bool stuck() const { return m_stuck; }
    const YAML::Mark &lastStart() const { return m_lastStart; }

private:
    int m_documents = 0;
    bool m_stuck = false;
    YAML::Mark m_lastStart = YAML::Mark::null_mark();
};

SourceLocation locationOf(const QString &file, const YAML::Mark &mark)
{
    SourceLocation where { file, 0, 0, QString() };
    if (mark.line >= 0) {
        where.line = mark.line + 1;
        where.column = mark.column + 1;
    }
    return where;
}

/// Walks the documents (at most two) without building them: finds stray tokens yaml-cpp would
/// loop on, and where a second document starts. Throws YAML exceptions like the real parse.
std::optional<Error> probeDocuments(
    const std::string &text, const QString &file, std::optional<YAML::Mark> &secondDocument)
{
    std::istringstream stream(text);
    YAML::Parser parser(stream);
    DocumentProbe probe;
    while (probe.documents() < 2 && parser.HandleNextDocument(probe)) {
        if (probe.stuck())
            return Error { QStringLiteral("invalid YAML: unexpected character"),
                locationOf(file, probe.lastStart()), {} };
    }
    if (probe.documents() == 2)
        secondDocument = probe.lastStart();
    return std::nullopt;
}

Error yamlError(const QString &file, const YAML::Exception &e)
{
    return Error { QStringLiteral("invalid YAML: ") + QString::fromStdString(e.msg),
        locationOf(file, e.mark), {} };
}

} // namespace

Expected<Node> loadYamlDocument(
    const QByteArray &text, const QString &file, std::vector<Error> &warnings)
{
    const std::string bytes = text.toStdString();
    try {
        std::optional<YAML::Mark> second;
        if (std::optional<Error> error = probeDocuments(bytes, file, second))
            return *error;
        if (second)
            warnings.push_back(
                Error { QStringLiteral("more than one YAML document"), locationOf(file, *second),
                    QStringLiteral("only the first document is read; remove "
                                   "the \"---\" separator") });
        return Node(YAML::Load(bytes), file, QString());
    } catch (const YAML::DeepRecursion &e) {
        return Error { QStringLiteral("invalid YAML: nested too deeply"), locationOf(file, e.mark),
            QStringLiteral("at most %1 levels").arg(e.depth()) };
    } catch (const YAML::Exception &e) {
        return yamlError(file, e);
    } catch (const std::exception &e) {
        return Error { QStringLiteral("cannot read YAML: ") + QString::fromLocal8Bit(e.what()),
            { file, 0, 0, QString() }, {} };
    }
}

} // namespace portico::config
