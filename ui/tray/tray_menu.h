#pragma once

#include "core/control/runtime_state.h"
#include "core/provider/ports/proposal.h"

#include <QMenu>
#include <QUrl>

#include <optional>
#include <vector>

namespace portico::ui {

class CoreStatus;

/// The tray's context menu: a status line, every router as a checkable `name — rule` toggle
/// (checked = serving, unchecked = paused; routers disabled by errors greyed out with the error as
/// tooltip), an "Open in browser" submenu of the routers' URLs, discovered dev servers not yet
/// published ("Publish as NAME.localhost"), pause/resume capture, "Open window" and "Quit". At
/// most maxRouters() routers are listed (paused ones first, so they can be resumed), then "More in
/// window…". A plain QMenu, so it can be built and tested without a tray host. While open it is
/// not rebuilt; a change that arrives meanwhile shows the next time it opens.
class TrayMenu : public QMenu
{
    Q_OBJECT
public:
    explicit TrayMenu(CoreStatus *status, QWidget *parent = nullptr);

    /// The router toggles, in menu order (tests).
    QList<QAction *> routerActions() const { return m_routerActions; }
    /// The entries of the "Open in browser" submenu, in order (tests).
    QList<QAction *> openActions() const { return m_openActions; }
    /// "More in window…" when routers were left out; null otherwise.
    QAction *moreAction() const { return m_moreAction; }
    /// How many routers the menu lists at most.
    static constexpr int maxRouters() { return 12; }
    /// The "Publish as …" entries, in menu order (tests).
    QList<QAction *> proposalActions() const { return m_proposalActions; }
    /// The pause/resume capture entry; null while capture is unavailable.
    QAction *captureAction() const { return m_captureAction; }

    /// Shows the capture entry (nullopt: the core captures nothing) as paused or running.
    void setCapture(std::optional<bool> paused);
    /// The dev servers the ports provider found.
    void setProposals(const std::vector<provider::ports::Proposal> &proposals);
    /// Shows the status's state again: a toggle the core refused goes back to what is true.
    void resync() { changed(); }

Q_SIGNALS:
    void openWindowRequested();
    /// "More in window…": the window, on the Services page.
    void servicesRequested();
    void openUrlRequested(const QUrl &url);
    /// A router toggle was switched: pause (`paused`) or resume router `router` (qualified).
    void pauseRequested(const QString &router, bool paused);
    void quitRequested();
    void capturePauseRequested(bool paused);
    /// "Publish as NAME.localhost" on proposal `id`.
    void publishRequested(const QString &id);

private:
    void rebuild();
    void addRouters();
    void addRouterToggle(const control::RouterState &router);
    void addOpenMenu(const std::vector<const control::RouterState *> &routers);
    void addProposals();
    void changed();

    CoreStatus *m_status;
    QList<QAction *> m_routerActions;
    QList<QAction *> m_proposalActions;
    QList<QAction *> m_openActions;
    QAction *m_moreAction = nullptr;
    QMenu *m_openMenu = nullptr; ///< "Open in browser", replaced on each rebuild
    QAction *m_captureAction = nullptr;
    std::optional<bool> m_capturePaused;
    std::vector<provider::ports::Proposal> m_proposals;
    bool m_dirty = false;
};

/// `text` made safe for a QAction label (a single `&` would become a mnemonic) and elided.
QString menuLabel(const QString &text, int maxChars = 72);

} // namespace portico::ui
