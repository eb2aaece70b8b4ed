#include "ui/services/router_detail.h"

#include "ui/shell/status_icon.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace portico::ui {

namespace {

QLabel *valueLabel(const QString &accessibleName)
{
    auto *label = new QLabel;
    label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    // One line each; a long rule is clipped instead of widening the window (the table has it all).
    label->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    label->setMinimumWidth(1);
    label->setAccessibleName(accessibleName);
    return label;
}

QLabel *sectionTitle(const QString &text)
{
    auto *label = new QLabel(text);
    QFont font = label->font();
    font.setBold(true);
    label->setFont(font);
    return label;
}

} // namespace

RouterDetail::RouterDetail(QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel)
    , m_url(valueLabel(tr("Router URL")))
    , m_rule(valueLabel(tr("Router rule")))
    , m_entryPoints(valueLabel(tr("Entry points")))
    , m_service(valueLabel(tr("Service")))
    , m_middlewares(valueLabel(tr("Middlewares")))
    , m_errors(new QListWidget)
    , m_servers(new QTreeWidget)
    , m_body(new QWidget)
    , m_placeholder(new QLabel(tr("Select a router to see its errors and servers.")))
{
    setAccessibleName(tr("Router details"));
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.15);
    m_title->setFont(titleFont);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_url->setOpenExternalLinks(true);
    m_url->setTextInteractionFlags(Qt::TextBrowserInteraction);
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setEnabled(false);

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    form->addRow(tr("URL:"), m_url);
    form->addRow(tr("Rule:"), m_rule);
    form->addRow(tr("Entry points:"), m_entryPoints);
    form->addRow(tr("Service:"), m_service);
    form->addRow(tr("Middlewares:"), m_middlewares);

    m_errors->setAccessibleName(tr("Router errors"));
    m_errors->setWordWrap(true);
    m_servers->setAccessibleName(tr("Service servers"));
    m_servers->setHeaderLabels({ tr("Server"), tr("Health") });
    m_servers->setRootIsDecorated(false);
    m_servers->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_servers->header()->setStretchLastSection(false);

    auto *errorsBox = new QVBoxLayout;
    errorsBox->addWidget(sectionTitle(tr("Errors")));
    errorsBox->addWidget(m_errors);
    auto *serversBox = new QVBoxLayout;
    serversBox->addWidget(sectionTitle(tr("Servers")));
    serversBox->addWidget(m_servers);
    auto *lists = new QHBoxLayout;
    lists->addLayout(errorsBox, 3);
    lists->addLayout(serversBox, 2);

    auto *body = new QVBoxLayout(m_body);
    body->setContentsMargins(0, 0, 0, 0);
    body->addWidget(m_title);
    body->addLayout(form);
    body->addLayout(lists, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_placeholder);
    layout->addWidget(m_body);
    clear();
}

void RouterDetail::showRouter(
    const control::RouterState &router, const control::ServiceState *service, const QUrl &url)
{
    m_title->setText(QStringLiteral("%1 — %2").arg(router.name,
        router.paused ? tr("%1, paused (answers 503)").arg(control::statusName(router.status))
                      : control::statusName(router.status)));
    m_url->setText(url.isValid()
            ? QStringLiteral("<a href=\"%1\">%1</a>").arg(url.toString().toHtmlEscaped())
            : tr("not served"));
    m_rule->setText(router.spec.rule);
    m_rule->setToolTip(router.spec.rule);
    m_entryPoints->setText(router.using_.join(QStringLiteral(", ")));
    m_service->setText(router.service.isEmpty() ? tr("none") : router.service);
    m_middlewares->setText(
        router.middlewares.isEmpty() ? tr("none") : router.middlewares.join(QStringLiteral(", ")));

    m_errors->clear();
    for (const Error &e : router.errors)
        new QListWidgetItem(statusDot(Health::Error), e.toString(), m_errors);
    if (service) {
        for (const Error &e : service->errors)
            new QListWidgetItem(statusDot(Health::Error), e.toString(), m_errors);
    }
    if (m_errors->count() == 0)
        new QListWidgetItem(tr("No errors"), m_errors);

    m_servers->clear();
    if (service) {
        for (const auto &[serverUrl, health] : service->serverStatus) {
            auto *item = new QTreeWidgetItem(m_servers, { serverUrl, health });
            item->setIcon(1, statusDot(health == u"UP" ? Health::Running : Health::Error));
        }
    }
    m_placeholder->hide();
    m_body->show();
}

void RouterDetail::clear()
{
    m_errors->clear();
    m_servers->clear();
    m_body->hide();
    m_placeholder->show();
}

QStringList RouterDetail::errorLines() const
{
    QStringList lines;
    for (int i = 0; i < m_errors->count(); ++i)
        lines << m_errors->item(i)->text();
    return lines;
}

QStringList RouterDetail::serverLines() const
{
    QStringList lines;
    for (int i = 0; i < m_servers->topLevelItemCount(); ++i) {
        const QTreeWidgetItem *item = m_servers->topLevelItem(i);
        lines << item->text(0) + QStringLiteral(" — ") + item->text(1);
    }
    return lines;
}

} // namespace portico::ui
