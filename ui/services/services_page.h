#pragma once

#include "core/common/error.h"
#include "core/provider/ports/proposal.h"

#include <QJsonObject>
#include <QUrl>
#include <QWidget>

#include <vector>

class QAction;
class QLabel;
class QLineEdit;
class QTabWidget;
class QTableView;
class QToolBar;

namespace portico::ui {

class AliasEditor;
class CoreStatus;
class ExplainPanel;
class ProposalsPanel;
class RouterDetail;
class ServicesModel;

/// The "Services" page: every router in a table (its check box serves or pauses it), actions for
/// the selected one (serve/pause, open, copy URL), and tabs below: its details (errors with
/// file:line, servers and health), the aliases, the dev servers found, and "explain a URL".
/// Follows a CoreStatus; keeps the selection (by router name) across configuration reloads.
/// Changes are asked for through signals (the shell forwards them to the core); what happened
/// shows in the next state, a refusal through showActionError.
class ServicesPage : public QWidget
{
    Q_OBJECT
public:
    explicit ServicesPage(CoreStatus *status, QWidget *parent = nullptr);

    ServicesModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    RouterDetail *detail() const { return m_detail; }
    AliasEditor *aliasEditor() const { return m_aliases; }
    ProposalsPanel *proposalsPanel() const { return m_proposals; }
    ExplainPanel *explainPanel() const { return m_explain; }
    QTabWidget *tabs() const { return m_tabs; }
    /// Serve/pause (Ctrl+T), open in browser (Ctrl+O), copy URL (Ctrl+Shift+C) of the selection.
    QAction *toggleAction() const { return m_toggle; }
    QAction *openAction() const { return m_open; }
    QAction *copyUrlAction() const { return m_copyUrl; }
    /// Shows only the routers whose name, URL, rule or provider contain its text (Ctrl+F).
    QLineEdit *filterField() const { return m_filter; }
    /// How many routers the filter leaves visible.
    int visibleRouterCount() const;
    /// The last refusal shown above the table; empty when none is shown.
    QString messageText() const;
    /// Selects router `qualifiedName`; false when it is not listed.
    bool selectRouter(const QString &qualifiedName);
    /// Whether the core discovers dev servers (the "Dev servers" tab says so when not).
    void setDiscoveryEnabled(bool enabled);

public Q_SLOTS:
    void setProposals(const std::vector<portico::provider::ports::Proposal> &proposals);
    /// A change asked for from this page (or the tray) was refused.
    void showActionError(const QString &action, const portico::Error &error);
    void showExplanation(const QString &url, const QJsonObject &explanation);
    void showExplainError(const QString &url, const portico::Error &error);

Q_SIGNALS:
    void pauseRequested(const QString &router, bool paused);
    void openUrlRequested(const QUrl &url);
    void aliasRequested(const QString &name, const QString &target, const QString &replacing);
    void aliasRemovalRequested(const QString &name);
    void publishRequested(const QString &id, const QString &name);
    void explainRequested(const QString &url);

private:
    void refresh();
    /// Sizes columns to their content once rows exist, capping long rules and URLs.
    void fitColumns();
    /// The widest a column gets by fitting (long rules and URLs are elided).
    int maxColumnWidth() const;
    /// The router to select when rows first appear: the first one in trouble, else the first.
    QString firstWorthALook() const;
    void showSelected();
    QToolBar *makeToolBar();
    void addShortcuts();
    void updateActions();
    void applyFilter();
    QUrl selectedUrl() const;

    CoreStatus *m_status;
    ServicesModel *m_model;
    QTableView *m_table;
    RouterDetail *m_detail;
    AliasEditor *m_aliases;
    ProposalsPanel *m_proposals;
    ExplainPanel *m_explain;
    QTabWidget *m_tabs;
    QLabel *m_message;
    QLineEdit *m_filter;
    QAction *m_toggle = nullptr;
    QAction *m_open = nullptr;
    QAction *m_copyUrl = nullptr;
    QString m_selected; ///< qualified name of the selected router, kept across model resets
    QString m_prefilledUrl; ///< what the explain field was filled with (replaced while untouched)
};

} // namespace portico::ui
