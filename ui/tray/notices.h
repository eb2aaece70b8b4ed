#pragma once

#include "core/control/runtime_state.h"
#include "core/provider/ports/proposal.h"
#include "core/tls/trust/trust_operations.h"

#include <QList>
#include <QObject>
#include <QSet>
#include <QString>

#include <vector>

namespace portico::ui {

/// Something worth a desktop notification, and what clicking it does.
struct Notice
{
    enum Kind {
        DevServerFound, ///< click: publish it as `<name>.localhost` (key = proposal id)
        BackendDown, ///< click: show the router in the Services page (key = router name)
        CaUntrusted, ///< click: show the Certificates page (key = store name)
    };
    Kind kind = DevServerFound;
    QString title;
    QString message;
    QString key;
};

/// Dev servers in `after` that were not proposed in `before` and are not published yet.
QList<Notice> newDevServerNotices(const std::vector<provider::ports::Proposal> &before,
    const std::vector<provider::ports::Proposal> &after);
/// Servers that were UP in `before` and are DOWN in `after`, one notice per service.
QList<Notice> backendDownNotices(
    const control::RuntimeState &before, const control::RuntimeState &after);
/// One notice when an available store does not trust the CA; none when every one does.
QList<Notice> caTrustNotices(const QList<tls::trust::StoreResult> &stores);

/// Turns the core's changes into notices, each said once: follows states, proposals and trust
/// checks, and emits notice() for what is new. The tray shows them; clicks come back as
/// activated() with the notice.
class Notifier : public QObject
{
    Q_OBJECT
public:
    explicit Notifier(QObject *parent = nullptr);

    void setState(const control::RuntimeState &state);
    void setProposals(const std::vector<provider::ports::Proposal> &proposals);
    void setTrust(const QList<tls::trust::StoreResult> &stores);

Q_SIGNALS:
    void notice(const portico::ui::Notice &notice);

private:
    control::RuntimeState m_state;
    bool m_hasState = false;
    std::vector<provider::ports::Proposal> m_proposals;
    bool m_hasProposals = false;
    bool m_caNoted = false;
};

} // namespace portico::ui
