#pragma once

#include "core/provider/ports/proposal.h"

#include <QMenu>
#include <QUrl>

#include <optional>
#include <vector>

namespace portico::ui {

class CoreStatus;

/// The tray's context menu: a status line, every router as `name — rule` (disabled routers greyed
/// out with their error as tooltip; enabled ones open their URL), discovered dev servers not yet
/// published ("Publish as NAME.localhost"), pause/resume capture, "Open window" and "Quit". A plain
/// QMenu, so it can be built and tested without a tray host. While open it is not rebuilt; a
/// change that arrives meanwhile shows the next time it opens.
class TrayMenu : public QMenu
{
    Q_OBJECT
public:
    explicit TrayMenu(CoreStatus *status, QWidget *parent = nullptr);

    /// The router entries, in menu order (tests).
    QList<QAction *> routerActions() const { return m_routerActions; }
    /// The "Publish as …" entries, in menu order (tests).
    QList<QAction *> proposalActions() const { return m_proposalActions; }
    /// The pause/resume capture entry; null while capture is unavailable.
    QAction *captureAction() const { return m_captureAction; }

    /// Shows the capture entry (nullopt: the core captures nothing) as paused or running.
    void setCapture(std::optional<bool> paused);
    /// The dev servers the ports provider found.
    void setProposals(const std::vector<provider::ports::Proposal> &proposals);

Q_SIGNALS:
    void openWindowRequested();
    void openUrlRequested(const QUrl &url);
    void quitRequested();
    void capturePauseRequested(bool paused);
    /// "Publish as NAME.localhost" on proposal `id`.
    void publishRequested(const QString &id);

private:
    void rebuild();
    void addRouters();
    void addProposals();
    void changed();

    CoreStatus *m_status;
    QList<QAction *> m_routerActions;
    QList<QAction *> m_proposalActions;
    QAction *m_captureAction = nullptr;
    std::optional<bool> m_capturePaused;
    std::vector<provider::ports::Proposal> m_proposals;
    bool m_dirty = false;
};

/// `text` made safe for a QAction label (a single `&` would become a mnemonic) and elided.
QString menuLabel(const QString &text, int maxChars = 72);

} // namespace portico::ui
