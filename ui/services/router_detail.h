#pragma once

#include "core/control/runtime_state.h"

#include <QUrl>
#include <QWidget>

class QLabel;
class QListWidget;
class QTreeWidget;

namespace portico::ui {

/// The detail area under the services table: the selected router's rule, entry points, service
/// and middlewares, its errors with their file:line, and its service's servers with UP/DOWN.
class RouterDetail : public QWidget
{
    Q_OBJECT
public:
    explicit RouterDetail(QWidget *parent = nullptr);

    /// Shows `router` (and `service`, which may be null when it does not exist).
    void showRouter(
        const control::RouterState &router, const control::ServiceState *service, const QUrl &url);
    /// Shows the "nothing selected" hint.
    void clear();

    /// The error lines as shown (tests, accessibility checks).
    QStringList errorLines() const;
    /// `URL — UP` per server as shown.
    QStringList serverLines() const;

private:
    QLabel *m_title;
    QLabel *m_url;
    QLabel *m_rule;
    QLabel *m_entryPoints;
    QLabel *m_service;
    QLabel *m_middlewares;
    QListWidget *m_errors;
    QTreeWidget *m_servers;
    QWidget *m_body;
    QLabel *m_placeholder;
};

} // namespace portico::ui
