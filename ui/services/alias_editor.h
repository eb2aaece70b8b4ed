#pragma once

#include "core/control/runtime_state.h"

#include <QWidget>

class QLineEdit;
class QPushButton;
class QTreeWidget;

namespace portico::ui {

/// The aliases people made (provider `state`: `shop` → Host(`shop.localhost`) → a port or URL),
/// listed from the core's state, with a form to add one, change its target, rename or remove it.
/// Asks through signals; the list follows the core's next state.
class AliasEditor : public QWidget
{
    Q_OBJECT
public:
    explicit AliasEditor(QWidget *parent = nullptr);

    /// Lists the state provider's routers of `state`; keeps the selection by name.
    void setState(const control::RuntimeState &state);

    QTreeWidget *list() const { return m_list; }
    QLineEdit *nameField() const { return m_name; }
    QLineEdit *targetField() const { return m_target; }
    QPushButton *saveButton() const { return m_save; }
    QPushButton *removeButton() const { return m_remove; }
    /// Selects alias `name` and puts it in the form; false when it is not listed.
    bool selectAlias(const QString &name);
    /// Clears the form for a new alias and focuses its name.
    void startNew();
    /// The aliases as listed: `name → target`.
    QStringList aliasLines() const;

public Q_SLOTS:
    /// Saves the form: a new alias, a new target, or (name changed) a rename of the selected one.
    void save();
    /// Removes the selected alias.
    void removeSelected();

Q_SIGNALS:
    /// Store `name` → `target`; `replacing` (when not empty) is the alias being renamed.
    void aliasRequested(const QString &name, const QString &target, const QString &replacing);
    void aliasRemovalRequested(const QString &name);

private:
    void fillForm();
    void updateButtons();
    QString selectedName() const;

    QTreeWidget *m_list;
    QLineEdit *m_name;
    QLineEdit *m_target;
    QPushButton *m_save;
    QPushButton *m_new;
    QPushButton *m_remove;
};

} // namespace portico::ui
