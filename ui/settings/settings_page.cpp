#include "ui/settings/settings_page.h"

#include "core/observe/capture_hub.h"
#include "core/tls/dev_names.h"
#include "ui/settings/autostart.h"
#include "ui/settings/theme.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace portico::ui {

namespace {

QSpinBox *spinBox(
    const QString &name, int min, int max, const QString &special = {}, const QString &suffix = {})
{
    auto *box = new QSpinBox;
    box->setAccessibleName(name);
    box->setRange(min, max);
    box->setSpecialValueText(special);
    box->setSuffix(suffix);
    return box;
}

QLabel *note(const QString &text)
{
    auto *label = new QLabel(text);
    label->setWordWrap(true);
    label->setForegroundRole(QPalette::PlaceholderText);
    return label;
}

} // namespace

SettingsPage::SettingsPage(
    observe::CaptureHub *hub, GuiSettings settings, QString program, QWidget *parent)
    : QWidget(parent)
    , m_hub(hub)
    , m_settings(std::move(settings))
    , m_program(std::move(program))
    , m_webPort(spinBox(tr("HTTP port"), 0, 65535, tr("as configured")))
    , m_websecurePort(spinBox(tr("HTTPS port"), 0, 65535, tr("as configured")))
    , m_suffixes(new QLineEdit)
    , m_discovery(new QComboBox)
    , m_bodyCap(spinBox(tr("Body capture limit"), 0, 1024 * 1024, {}, tr(" KiB")))
    , m_budget(spinBox(tr("Capture memory budget"), 1, 64 * 1024, {}, tr(" MiB")))
    , m_startAtLogin(new QCheckBox(tr("Start Portico when I log in")))
    , m_theme(new QComboBox)
    , m_apply(new QPushButton(tr("&Apply")))
    , m_revert(new QPushButton(tr("Re&vert")))
    , m_message(new QLabel)
{
    setAccessibleName(tr("Settings"));
    m_suffixes->setAccessibleName(tr("Extra top-level domains"));
    m_suffixes->setPlaceholderText(tr("e.g. internal, lan (localhost and test always work)"));
    m_discovery->setAccessibleName(tr("Discovery mode"));
    m_discovery->addItem(
        tr("Manual — propose found dev servers, publish on request"), QStringLiteral("manual"));
    m_discovery->addItem(tr("Automatic — publish every dev server found"), QStringLiteral("auto"));
    m_startAtLogin->setAccessibleName(tr("Start at login"));
    m_theme->setAccessibleName(tr("Theme"));
    m_theme->addItem(tr("System"), int(Theme::System));
    m_theme->addItem(tr("Light"), int(Theme::Light));
    m_theme->addItem(tr("Dark"), int(Theme::Dark));
    m_apply->setAccessibleName(tr("Apply settings"));
    m_revert->setAccessibleName(tr("Revert settings"));
    m_message->setAccessibleName(tr("Settings messages"));
    m_message->setWordWrap(true);

    auto *network = new QGroupBox(tr("Entry points and names"));
    auto *networkForm = new QFormLayout(network);
    networkForm->addRow(tr("HTTP port (web):"), m_webPort);
    networkForm->addRow(tr("HTTPS port (websecure):"), m_websecurePort);
    networkForm->addRow(tr("Extra TLDs:"), m_suffixes);
    networkForm->addRow(tr("Discovery:"), m_discovery);
    networkForm->addRow(note(tr("These apply when Portico next starts. A CA created before a TLD "
                                "was added covers it after a rotation (Certificates page).")));
    auto *capture = new QGroupBox(tr("Request capture"));
    auto *captureForm = new QFormLayout(capture);
    captureForm->addRow(tr("Keep of each body:"), m_bodyCap);
    captureForm->addRow(tr("Memory for captured requests:"), m_budget);
    captureForm->addRow(note(tr("Applies at once; the oldest bodies are dropped first.")));
    auto *app = new QGroupBox(tr("Application"));
    auto *appForm = new QFormLayout(app);
    appForm->addRow(m_startAtLogin);
    appForm->addRow(tr("Theme:"), m_theme);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_message, 1);
    buttons->addWidget(m_revert);
    buttons->addWidget(m_apply);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(network);
    layout->addWidget(capture);
    layout->addWidget(app);
    layout->addStretch(1);
    layout->addLayout(buttons);

    connect(m_apply, &QPushButton::clicked, this, [this] { apply(); });
    connect(m_revert, &QPushButton::clicked, this, [this] {
        setEdited(m_settings);
        m_message->clear();
    });
    setEdited(m_settings);
}

void SettingsPage::setEdited(const GuiSettings &s)
{
    m_webPort->setValue(s.webPort);
    m_websecurePort->setValue(s.websecurePort);
    m_suffixes->setText(s.extraSuffixes.join(QStringLiteral(", ")));
    m_discovery->setCurrentIndex(qMax(0, m_discovery->findData(s.discovery)));
    m_bodyCap->setValue(int(s.bodyCap / 1024));
    m_budget->setValue(int(qMax<qint64>(1, s.budgetBytes >> 20)));
    m_startAtLogin->setChecked(s.startAtLogin);
    m_theme->setCurrentIndex(qMax(0, m_theme->findData(int(s.theme))));
}

GuiSettings SettingsPage::edited() const
{
    GuiSettings s;
    s.webPort = m_webPort->value();
    s.websecurePort = m_websecurePort->value();
    for (const QString &suffix : m_suffixes->text().split(u',', Qt::SkipEmptyParts))
        if (!suffix.trimmed().isEmpty())
            s.extraSuffixes << suffix.trimmed();
    s.discovery = m_discovery->currentData().toString();
    s.bodyCap = qint64(m_bodyCap->value()) * 1024;
    s.budgetBytes = qint64(m_budget->value()) << 20;
    s.startAtLogin = m_startAtLogin->isChecked();
    s.theme = Theme(m_theme->currentData().toInt());
    return s;
}

QString SettingsPage::apply()
{
    GuiSettings next = edited();
    for (QString &suffix : next.extraSuffixes) {
        const auto checked = tls::parseDevSuffix(suffix);
        if (!checked) {
            m_message->setText(checked.error().toString());
            return m_message->text();
        }
        suffix = *checked;
    }
    QStringList problems;
    if (next.startAtLogin != startsAtLogin())
        if (auto changed = setStartAtLogin(next.startAtLogin, m_program); !changed)
            problems << changed.error().toString();
    if (m_hub
        && (next.bodyCap != m_settings.bodyCap || next.budgetBytes != m_settings.budgetBytes
            || next.bodyCap != m_hub->settings()->bodyCap
            || next.budgetBytes != m_hub->settings()->budgetBytes)) {
        observe::CaptureSettings capture = *m_hub->settings();
        capture.bodyCap = next.bodyCap;
        capture.budgetBytes = next.budgetBytes;
        m_hub->setSettings(capture);
    }
    if (next.theme != m_settings.theme)
        applyTheme(next.theme);
    const bool restart = next.webPort != m_settings.webPort
        || next.websecurePort != m_settings.websecurePort || next.discovery != m_settings.discovery
        || next.extraSuffixes != m_settings.extraSuffixes;
    if (!next.save())
        problems << tr("cannot write \"%1\"").arg(GuiSettings::path());
    m_settings = next;
    setEdited(next);
    Q_EMIT applied(next);
    if (!problems.isEmpty())
        m_message->setText(problems.join(u'\n'));
    else
        m_message->setText(restart
                ? tr("Saved. Ports, TLDs and discovery apply when Portico restarts.")
                : tr("Saved and applied."));
    return problems.join(u'\n');
}

QString SettingsPage::message() const
{
    return m_message->text();
}

} // namespace portico::ui
