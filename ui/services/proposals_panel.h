#pragma once

#include "core/provider/ports/proposal.h"

#include <QWidget>

#include <vector>

class QLabel;
class QLineEdit;
class QPushButton;
class QTreeWidget;

namespace portico::ui {

/// The dev servers the ports provider found (port, what it is, project), each publishable as
/// `NAME.localhost` with a name the person may change first. Asks through publishRequested; the
/// list follows the core's next proposals.
class ProposalsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit ProposalsPanel(QWidget *parent = nullptr);

    /// Whether discovery runs at all (else the panel says how to turn it on).
    void setDiscoveryEnabled(bool enabled);
    /// The dev servers found; keeps the selection by id.
    void setProposals(const std::vector<provider::ports::Proposal> &proposals);

    QTreeWidget *list() const { return m_list; }
    QLineEdit *nameField() const { return m_name; }
    QPushButton *publishButton() const { return m_publish; }
    /// Selects proposal `id` and puts its proposed name in the field; false when not listed.
    bool selectProposal(const QString &id);

public Q_SLOTS:
    /// Publishes the selected dev server under the name in the field.
    void publishSelected();

Q_SIGNALS:
    /// Publish dev server `id` as `name`.localhost.
    void publishRequested(const QString &id, const QString &name);

private:
    void fillName();
    void updateButton();
    QString selectedId() const;

    QTreeWidget *m_list;
    QLineEdit *m_name;
    QPushButton *m_publish;
    QLabel *m_hint;
    bool m_discovery = true;
};

} // namespace portico::ui
