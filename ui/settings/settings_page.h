#pragma once

#include "ui/settings/gui_settings.h"

#include <QPointer>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace portico::observe {
class CaptureHub;
}

namespace portico::ui {

/// The "Settings" page: entry point ports, extra TLDs, discovery mode, capture limits, start at
/// login and theme. Apply saves them (GuiSettings) and applies what can change at run time:
/// capture limits go to the CaptureHub at once, the autostart entry is written or removed and the
/// theme changes; the rest says it applies at the next start (or the next CA rotation).
class SettingsPage : public QWidget
{
    Q_OBJECT
public:
    /// `hub` may be null; `program` is what start at login runs.
    SettingsPage(
        observe::CaptureHub *hub, GuiSettings settings, QString program, QWidget *parent = nullptr);

    /// The settings as the form shows them (not yet applied).
    GuiSettings edited() const;
    /// The settings last applied (or loaded).
    const GuiSettings &current() const { return m_settings; }
    /// Shows `settings` in the form.
    void setEdited(const GuiSettings &settings);
    /// Saves and applies the form; returns the error text, empty on success.
    QString apply();

    QSpinBox *bodyCapEdit() const { return m_bodyCap; }
    QSpinBox *budgetEdit() const { return m_budget; }
    QCheckBox *startAtLoginEdit() const { return m_startAtLogin; }
    QComboBox *themeEdit() const { return m_theme; }
    QString message() const;

Q_SIGNALS:
    void applied(const portico::ui::GuiSettings &settings);

private:
    QPointer<observe::CaptureHub> m_hub;
    GuiSettings m_settings;
    QString m_program;
    QSpinBox *m_webPort;
    QSpinBox *m_websecurePort;
    QLineEdit *m_suffixes;
    QComboBox *m_discovery;
    QSpinBox *m_bodyCap; ///< KiB
    QSpinBox *m_budget; ///< MiB
    QCheckBox *m_startAtLogin;
    QComboBox *m_theme;
    QPushButton *m_apply;
    QPushButton *m_revert;
    QLabel *m_message;
};

} // namespace portico::ui
