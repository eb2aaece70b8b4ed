#include "ui/shell/main_window.h"

#include "ui/services/router_text.h"
#include "ui/services/services_page.h"
#include "ui/shell/core_status.h"
#include "ui/shell/status_icon.h"

#include <QAction>
#include <QCloseEvent>
#include <QLabel>
#include <QMenuBar>
#include <QStatusBar>
#include <QTabWidget>
#include <QVBoxLayout>

namespace portico::ui {

namespace {

/// `primary` first (what the menu shows), then the platform's own bindings for `key`: some
/// platforms bind Close to Ctrl+F4 only, and Quit to nothing.
QList<QKeySequence> withStandard(const QKeySequence &primary, QKeySequence::StandardKey key)
{
    QList<QKeySequence> keys { primary };
    for (const QKeySequence &sequence : QKeySequence::keyBindings(key)) {
        if (!keys.contains(sequence))
            keys << sequence;
    }
    return keys;
}

} // namespace

MainWindow::MainWindow(CoreStatus *status, QWidget *parent)
    : QMainWindow(parent)
    , m_status(status)
    , m_banner(new QLabel)
    , m_pages(new QTabWidget)
    , m_services(new ServicesPage(status))
    , m_statusLine(new QLabel)
{
    setWindowTitle(tr("Portico"));
    setAccessibleName(tr("Portico"));
    resize(1100, 680);

    m_banner->setAccessibleName(tr("Core errors"));
    m_banner->setWordWrap(true);
    m_banner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_banner->setMargin(8);
    m_banner->setAutoFillBackground(true);
    m_pages->setDocumentMode(true);
    m_pages->setAccessibleName(tr("Pages"));
    m_pages->addTab(m_services, tr("Services"));
    m_statusLine->setAccessibleName(tr("Status"));
    statusBar()->addWidget(m_statusLine, 1);

    auto *central = new QWidget;
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(6, 6, 6, 0);
    layout->addWidget(m_banner);
    layout->addWidget(m_pages, 1);
    setCentralWidget(central);

    addActions();
    addPageShortcut(0);
    connect(m_pages, &QTabWidget::currentChanged, this, [this](int index) {
        if (QWidget *page = m_pages->widget(index))
            page->setFocus(Qt::OtherFocusReason);
    });
    connect(m_status, &CoreStatus::changed, this, &MainWindow::refresh);
    refresh();
}

void MainWindow::addActions()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *close = file->addAction(tr("&Close Window"), this, &QWidget::close);
    close->setShortcuts(withStandard(QKeySequence(Qt::CTRL | Qt::Key_W), QKeySequence::Close));
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit Portico"), this, &MainWindow::quitRequested);
    quit->setShortcuts(withStandard(QKeySequence(Qt::CTRL | Qt::Key_Q), QKeySequence::Quit));
}

void MainWindow::addPage(QWidget *page, const QString &title)
{
    addPageShortcut(m_pages->addTab(page, title));
}

void MainWindow::addPageShortcut(int index)
{
    if (index > 8)
        return;
    auto *show = new QAction(this);
    show->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + index)));
    connect(show, &QAction::triggered, this, [this, index] { showPage(index); });
    addAction(show);
}

void MainWindow::showPage(int index)
{
    m_pages->setCurrentIndex(index);
    if (QWidget *page = m_pages->currentWidget())
        page->setFocus(Qt::ShortcutFocusReason);
}

void MainWindow::bringToFront()
{
    setWindowState((windowState() & ~Qt::WindowMinimized) | Qt::WindowActive);
    show();
    raise();
    activateWindow();
}

QString MainWindow::bannerText() const
{
    return m_banner->isHidden() ? QString() : m_banner->text();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    event->ignore();
    if (m_hideOnClose) {
        hide();
        Q_EMIT hiddenToTray();
    } else {
        Q_EMIT quitRequested();
    }
}

void MainWindow::refresh()
{
    const Health health = m_status->health();
    setWindowIcon(statusIcon(health));
    QString line = m_status->summary();
    if (!m_status->listening().isEmpty())
        line = tr("Listening on %1 — %2")
                   .arg(m_status->listening().join(QStringLiteral(", ")), line);
    m_statusLine->setText(line);

    const std::vector<Error> errors = m_status->coreErrors();
    m_banner->setVisible(!errors.empty());
    if (errors.empty())
        return;
    QStringList lines;
    for (const Error &e : errors)
        lines << e.toString();
    m_banner->setText(lines.join(u'\n'));
    // A tint of the error colour over the system palette keeps it readable in light and dark.
    QPalette palette = m_banner->palette();
    QColor tint = healthColor(Health::Error);
    const QColor base = palette.color(QPalette::Window);
    tint = QColor::fromRgbF(base.redF() * 0.8 + tint.redF() * 0.2,
        base.greenF() * 0.8 + tint.greenF() * 0.2, base.blueF() * 0.8 + tint.blueF() * 0.2);
    palette.setColor(QPalette::Window, tint);
    m_banner->setPalette(palette);
}

} // namespace portico::ui
