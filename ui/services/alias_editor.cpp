#include "ui/services/alias_editor.h"

#include "ui/services/router_text.h"
#include "ui/shell/status_icon.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QShortcut>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace portico::ui {

namespace {

enum Column { NameColumn, HostColumn, TargetColumn };

/// The alias name a state router carries (`shop@state` → `shop`).
QString aliasName(const QString &router)
{
    return router.section(u'@', 0, 0);
}

} // namespace

AliasEditor::AliasEditor(QWidget *parent)
    : QWidget(parent)
    , m_list(new QTreeWidget)
    , m_name(new QLineEdit)
    , m_target(new QLineEdit)
    , m_save(new QPushButton(tr("&Save alias")))
    , m_new(new QPushButton(tr("&New")))
    , m_remove(new QPushButton(tr("&Remove")))
{
    setAccessibleName(tr("Aliases"));
    m_list->setAccessibleName(tr("Alias list"));
    m_list->setHeaderLabels({ tr("Alias"), tr("Host"), tr("Target") });
    m_list->setRootIsDecorated(false);
    m_list->setAlternatingRowColors(true);
    m_list->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_list->header()->setStretchLastSection(true);
    m_name->setAccessibleName(tr("Alias name"));
    m_name->setPlaceholderText(tr("shop (serves shop.localhost)"));
    m_target->setAccessibleName(tr("Alias target"));
    m_target->setPlaceholderText(tr("3000 or http://127.0.0.1:3000"));
    m_save->setAccessibleName(tr("Save alias"));
    m_new->setAccessibleName(tr("New alias"));
    m_remove->setAccessibleName(tr("Remove alias"));
    m_remove->setToolTip(tr("Remove the selected alias (Delete)"));

    auto *form = new QFormLayout;
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&Target:"), m_target);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_save);
    buttons->addWidget(m_new);
    buttons->addStretch(1);
    buttons->addWidget(m_remove);
    auto *editor = new QVBoxLayout;
    editor->addLayout(form);
    editor->addLayout(buttons);
    auto *hint = new QLabel(tr("An alias routes NAME.localhost (or a full host name such as "
                               "shop.test) to a local port or URL. Stored in state.json."));
    hint->setWordWrap(true);
    hint->setEnabled(false);
    editor->addWidget(hint);
    editor->addStretch(1);
    auto *layout = new QHBoxLayout(this);
    layout->addWidget(m_list, 3);
    layout->addLayout(editor, 2);

    connect(m_list, &QTreeWidget::currentItemChanged, this, &AliasEditor::fillForm);
    connect(m_save, &QPushButton::clicked, this, &AliasEditor::save);
    connect(m_new, &QPushButton::clicked, this, &AliasEditor::startNew);
    connect(m_remove, &QPushButton::clicked, this, &AliasEditor::removeSelected);
    connect(m_name, &QLineEdit::returnPressed, this, &AliasEditor::save);
    connect(m_target, &QLineEdit::returnPressed, this, &AliasEditor::save);
    connect(m_name, &QLineEdit::textChanged, this, &AliasEditor::updateButtons);
    connect(m_target, &QLineEdit::textChanged, this, &AliasEditor::updateButtons);
    auto *remove = new QShortcut(QKeySequence::Delete, m_list);
    remove->setContext(Qt::WidgetShortcut);
    connect(remove, &QShortcut::activated, this, &AliasEditor::removeSelected);
    updateButtons();
}

void AliasEditor::setState(const control::RuntimeState &state)
{
    const QString keep = selectedName();
    const QSignalBlocker blocker(m_list); // the form keeps what is being typed
    m_list->clear();
    for (const auto &[name, router] : state.routers) {
        if (router.provider != u"state")
            continue;
        QString target;
        if (const auto it = state.services.find(router.service); it != state.services.end()
            && it->second.spec.loadBalancer && !it->second.spec.loadBalancer->servers.empty())
            target = it->second.spec.loadBalancer->servers.front().url;
        auto *item
            = new QTreeWidgetItem(m_list, { aliasName(name), ruleHost(router.spec.rule), target });
        item->setData(NameColumn, Qt::UserRole, aliasName(name));
        item->setIcon(NameColumn, statusDot(healthOf(router.status)));
        if (!router.errors.empty())
            item->setToolTip(NameColumn, errorsTooltip(router.errors));
        if (aliasName(name) == keep)
            m_list->setCurrentItem(item);
    }
    updateButtons();
}

bool AliasEditor::selectAlias(const QString &name)
{
    for (int i = 0; i < m_list->topLevelItemCount(); ++i) {
        if (m_list->topLevelItem(i)->data(NameColumn, Qt::UserRole).toString() == name) {
            m_list->setCurrentItem(m_list->topLevelItem(i));
            return true;
        }
    }
    return false;
}

void AliasEditor::startNew()
{
    m_list->setCurrentItem(nullptr);
    m_list->clearSelection();
    m_name->clear();
    m_target->clear();
    m_name->setFocus(Qt::ShortcutFocusReason);
    updateButtons();
}

QStringList AliasEditor::aliasLines() const
{
    QStringList lines;
    for (int i = 0; i < m_list->topLevelItemCount(); ++i) {
        const QTreeWidgetItem *item = m_list->topLevelItem(i);
        lines << item->text(NameColumn) + QStringLiteral(" → ") + item->text(TargetColumn);
    }
    return lines;
}

void AliasEditor::save()
{
    const QString name = m_name->text().trimmed();
    const QString target = m_target->text().trimmed();
    if (name.isEmpty() || target.isEmpty())
        return;
    const QString selected = selectedName();
    Q_EMIT aliasRequested(name, target, selected != name ? selected : QString());
}

void AliasEditor::removeSelected()
{
    const QString selected = selectedName();
    if (!selected.isEmpty())
        Q_EMIT aliasRemovalRequested(selected);
}

void AliasEditor::fillForm()
{
    if (const QTreeWidgetItem *item = m_list->currentItem()) {
        m_name->setText(item->data(NameColumn, Qt::UserRole).toString());
        m_target->setText(item->text(TargetColumn));
    }
    updateButtons();
}

void AliasEditor::updateButtons()
{
    const QString selected = selectedName();
    const QString name = m_name->text().trimmed();
    m_remove->setEnabled(!selected.isEmpty());
    m_save->setEnabled(!name.isEmpty() && !m_target->text().trimmed().isEmpty());
    m_save->setText(
        selected.isEmpty() || selected == name ? tr("&Save alias") : tr("Re&name alias"));
}

QString AliasEditor::selectedName() const
{
    const QTreeWidgetItem *item = m_list->currentItem();
    return item ? item->data(NameColumn, Qt::UserRole).toString() : QString();
}

} // namespace portico::ui
