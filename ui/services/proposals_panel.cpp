#include "ui/services/proposals_panel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace portico::ui {

namespace {

enum Column { PortColumn, WhatColumn, ProjectColumn, StateColumn };
constexpr int IdRole = Qt::UserRole;
constexpr int PublishedRole = Qt::UserRole + 1;
constexpr int ProposedRole = Qt::UserRole + 2;

/// What a person recognises a dev server by: its page title, else its kind, else its program.
QString whatItIs(const provider::ports::Proposal &p)
{
    if (!p.title.isEmpty())
        return p.kind.isEmpty() ? p.title : QStringLiteral("%1 (%2)").arg(p.title, p.kind);
    return p.kind.isEmpty() ? p.executable : p.kind;
}

} // namespace

ProposalsPanel::ProposalsPanel(QWidget *parent)
    : QWidget(parent)
    , m_list(new QTreeWidget)
    , m_name(new QLineEdit)
    , m_publish(new QPushButton(tr("&Publish")))
    , m_hint(new QLabel)
{
    setAccessibleName(tr("Dev servers"));
    m_list->setAccessibleName(tr("Dev servers found"));
    m_list->setHeaderLabels({ tr("Port"), tr("Dev server"), tr("Project"), tr("State") });
    m_list->setRootIsDecorated(false);
    m_list->setAlternatingRowColors(true);
    m_list->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_list->header()->setStretchLastSection(true);
    m_name->setAccessibleName(tr("Publish name"));
    m_name->setPlaceholderText(tr("name (served as NAME.localhost)"));
    m_publish->setAccessibleName(tr("Publish dev server"));
    m_hint->setWordWrap(true);
    m_hint->setEnabled(false);

    auto *row = new QHBoxLayout;
    auto *label = new QLabel(tr("Publish &as:"));
    label->setBuddy(m_name);
    row->addWidget(label);
    row->addWidget(m_name, 1);
    row->addWidget(new QLabel(QStringLiteral(".localhost")));
    row->addWidget(m_publish);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_list, 1);
    layout->addLayout(row);
    layout->addWidget(m_hint);

    connect(m_list, &QTreeWidget::currentItemChanged, this, &ProposalsPanel::fillName);
    connect(m_publish, &QPushButton::clicked, this, &ProposalsPanel::publishSelected);
    connect(m_name, &QLineEdit::returnPressed, this, &ProposalsPanel::publishSelected);
    connect(m_name, &QLineEdit::textChanged, this, &ProposalsPanel::updateButton);
    setProposals({});
}

void ProposalsPanel::setDiscoveryEnabled(bool enabled)
{
    m_discovery = enabled;
    setProposals({});
}

void ProposalsPanel::setProposals(const std::vector<provider::ports::Proposal> &proposals)
{
    const QString keep = selectedId();
    {
        const QSignalBlocker blocker(m_list); // the name being typed stays
        m_list->clear();
        for (const provider::ports::Proposal &p : proposals) {
            auto *item = new QTreeWidgetItem(m_list,
                { QString::number(p.port), whatItIs(p), p.projectRoot,
                    p.published ? tr("published as %1.localhost").arg(p.proposedName)
                                : tr("not published") });
            item->setData(PortColumn, IdRole, p.id);
            item->setData(PortColumn, PublishedRole, p.published);
            item->setData(PortColumn, ProposedRole, p.proposedName);
            item->setToolTip(WhatColumn, p.commandLine);
            item->setToolTip(ProjectColumn, p.url);
            if (p.id == keep)
                m_list->setCurrentItem(item);
        }
    }
    if (!m_discovery)
        m_hint->setText(tr("Discovery is off: start Portico with providers.ports to find dev "
                           "servers listening on this machine."));
    else if (proposals.empty())
        m_hint->setText(tr("No dev servers found yet: start one (npm run dev, rails s, …) and it "
                           "appears here."));
    else
        m_hint->setText(tr("Select a dev server, choose its name and publish it."));
    if (!m_list->currentItem() && m_list->topLevelItemCount() > 0 && keep.isEmpty())
        m_list->setCurrentItem(m_list->topLevelItem(0));
    updateButton();
}

bool ProposalsPanel::selectProposal(const QString &id)
{
    for (int i = 0; i < m_list->topLevelItemCount(); ++i) {
        if (m_list->topLevelItem(i)->data(PortColumn, IdRole).toString() == id) {
            m_list->setCurrentItem(m_list->topLevelItem(i));
            return true;
        }
    }
    return false;
}

void ProposalsPanel::publishSelected()
{
    const QString id = selectedId();
    const QString name = m_name->text().trimmed();
    if (!id.isEmpty() && !name.isEmpty() && m_publish->isEnabled())
        Q_EMIT publishRequested(id, name);
}

void ProposalsPanel::fillName()
{
    if (const QTreeWidgetItem *item = m_list->currentItem())
        m_name->setText(item->data(PortColumn, ProposedRole).toString());
    updateButton();
}

void ProposalsPanel::updateButton()
{
    const QTreeWidgetItem *item = m_list->currentItem();
    const bool published = item && item->data(PortColumn, PublishedRole).toBool();
    m_publish->setEnabled(item && !published && !m_name->text().trimmed().isEmpty());
    m_publish->setText(m_name->text().trimmed().isEmpty()
            ? tr("&Publish")
            : tr("&Publish as %1.localhost").arg(m_name->text().trimmed()));
}

QString ProposalsPanel::selectedId() const
{
    const QTreeWidgetItem *item = m_list->currentItem();
    return item ? item->data(PortColumn, IdRole).toString() : QString();
}

} // namespace portico::ui
