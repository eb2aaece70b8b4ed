#include "ui/certificates/certificates_page.h"

#include "ui/shell/status_icon.h"

#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QTableWidget>
#include <QThreadPool>
#include <QVBoxLayout>

namespace portico::ui {

namespace {

using tls::trust::StoreOutcome;

/// Runs `work` on the thread pool and hands its result to `done` on `context`'s thread, unless
/// `context` is gone by then.
template <typename Work, typename Done> void offThread(QObject *context, Work work, Done done)
{
    QPointer<QObject> guard(context);
    QThreadPool::globalInstance()->start([guard, work = std::move(work), done = std::move(done)] {
        auto result = work();
        QMetaObject::invokeMethod(
            guard.data(),
            [guard, done, result = std::move(result)] {
                if (guard)
                    done(result);
            },
            Qt::QueuedConnection);
    });
}

QString outcomeLabel(StoreOutcome outcome)
{
    switch (outcome) {
    case StoreOutcome::Installed:
        return QObject::tr("trusted (just installed)");
    case StoreOutcome::AlreadyTrusted:
        return QObject::tr("trusted");
    case StoreOutcome::Missing:
        return QObject::tr("not trusted");
    case StoreOutcome::Removed:
        return QObject::tr("removed");
    case StoreOutcome::NotPresent:
        return QObject::tr("not present");
    case StoreOutcome::Unavailable:
        return QObject::tr("not available");
    case StoreOutcome::Skipped:
        return QObject::tr("skipped");
    case StoreOutcome::Failed:
        return QObject::tr("check failed");
    }
    return {};
}

Health outcomeHealth(StoreOutcome outcome)
{
    switch (outcome) {
    case StoreOutcome::Installed:
    case StoreOutcome::AlreadyTrusted:
        return Health::Running;
    case StoreOutcome::Missing:
    case StoreOutcome::Skipped:
        return Health::Warning;
    case StoreOutcome::Failed:
        return Health::Error;
    default:
        return Health::Starting;
    }
}

QTableWidget *makeTable(const QStringList &headers, const QString &name)
{
    auto *table = new QTableWidget(0, int(headers.size()));
    table->setHorizontalHeaderLabels(headers);
    table->setAccessibleName(name);
    table->verticalHeader()->hide();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setAlternatingRowColors(true);
    table->horizontalHeader()->setStretchLastSection(true);
    table->setWordWrap(false);
    return table;
}

QLabel *valueLabel(const QString &name)
{
    auto *label = new QLabel;
    label->setAccessibleName(name);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setWordWrap(true);
    return label;
}

} // namespace

CertificatesPage::CertificatesPage(
    QString caDir, tls::trust::StoreEnvironment environment, QWidget *parent)
    : QWidget(parent)
    , m_caDir(std::move(caDir))
    , m_environment(std::move(environment))
    , m_caTitle(new QLabel)
    , m_subject(valueLabel(tr("CA subject")))
    , m_fingerprint(valueLabel(tr("CA SHA-256 fingerprint")))
    , m_validity(valueLabel(tr("CA validity")))
    , m_permits(valueLabel(tr("Names the CA may certify")))
    , m_path(valueLabel(tr("CA file")))
    , m_message(valueLabel(tr("Certificate messages")))
    , m_refresh(new QPushButton(tr("Check &again")))
    , m_rotate(new QPushButton(tr("R&otate CA…")))
    , m_stores(makeTable(
          { tr("Store"), tr("Kind"), tr("State"), tr(""), tr("Where") }, tr("Trust stores")))
    , m_leaves(
          makeTable({ tr("Name"), tr("Issued"), tr("Expires"), tr("Issuer SHA-256"), tr("File") },
              tr("Issued certificates")))
{
    setAccessibleName(tr("Certificates"));
    QFont title = m_caTitle->font();
    title.setBold(true);
    title.setPointSizeF(title.pointSizeF() * 1.15);
    m_caTitle->setFont(title);
    m_caTitle->setAccessibleName(tr("Local CA"));
    m_fingerprint->setFont(QFont(QStringLiteral("monospace")));
    m_refresh->setAccessibleName(tr("Check trust stores again"));
    m_rotate->setAccessibleName(tr("Rotate the local CA"));
    m_rotate->setToolTip(tr("Create a new root, trust it where the old one was trusted and "
                            "remove the old one; every issued certificate is re-issued"));

    auto *form = new QFormLayout;
    form->addRow(tr("Subject:"), m_subject);
    form->addRow(tr("SHA-256:"), m_fingerprint);
    form->addRow(tr("Valid:"), m_validity);
    form->addRow(tr("Permits:"), m_permits);
    form->addRow(tr("File:"), m_path);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_caTitle, 1);
    buttons->addWidget(m_refresh);
    buttons->addWidget(m_rotate);

    auto *storesBox = new QGroupBox(tr("Trust stores"));
    (new QVBoxLayout(storesBox))->addWidget(m_stores);
    auto *leavesBox = new QGroupBox(tr("Issued certificates"));
    (new QVBoxLayout(leavesBox))->addWidget(m_leaves);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addLayout(form);
    layout->addWidget(m_message);
    layout->addWidget(storesBox, 3);
    layout->addWidget(leavesBox, 2);

    connect(m_refresh, &QPushButton::clicked, this, &CertificatesPage::refresh);
    connect(m_rotate, &QPushButton::clicked, this, &CertificatesPage::rotate);
    showCa({});
}

void CertificatesPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (!m_loaded && !isBusy())
        refresh();
}

void CertificatesPage::setBusy(bool busy)
{
    m_busy += busy ? 1 : -1;
    m_refresh->setEnabled(m_busy == 0);
    m_rotate->setEnabled(m_busy == 0 && m_inventory.ca.exists);
    for (int row = 0; row < m_stores->rowCount(); ++row) {
        if (QWidget *button = m_stores->cellWidget(row, 3))
            button->setEnabled(m_busy == 0);
    }
    if (m_busy > 0)
        m_caTitle->setText(tr("Portico Local CA — checking…"));
}

void CertificatesPage::refresh()
{
    setBusy(true);
    offThread(
        this, [dir = m_caDir, env = m_environment] { return readInventory(dir, env); },
        [this](const CertificateInventory &inventory) {
            showInventory(inventory);
            setBusy(false);
        });
}

void CertificatesPage::showInventory(const CertificateInventory &inventory)
{
    m_inventory = inventory;
    m_loaded = true;
    showCa(currentCa());
    showStores();
    showLeaves();
    Q_EMIT inventoryChanged();
}

void CertificatesPage::showCa(const CaSummary &ca)
{
    m_caTitle->setText(
        ca.exists ? tr("Portico Local CA") : tr("Portico Local CA — not created yet"));
    m_subject->setText(ca.subject);
    m_fingerprint->setText(ca.sha256);
    const QString format = QStringLiteral("yyyy-MM-dd");
    m_validity->setText(ca.exists ? tr("%1 to %2")
                                        .arg(ca.notBefore.toLocalTime().toString(format),
                                            ca.notAfter.toLocalTime().toString(format))
                                  : QString());
    QString permits = ca.permits;
    if (!ca.missingSuffixes.isEmpty())
        permits += tr("  (not covered: %1 — rotate to add them)")
                       .arg(ca.missingSuffixes.join(QStringLiteral(", ")));
    m_permits->setText(permits);
    m_path->setText(ca.path);
    if (!ca.error.isEmpty())
        m_message->setText(ca.error);
    m_rotate->setEnabled(ca.exists && m_busy == 0);
}

void CertificatesPage::showStores()
{
    m_stores->setRowCount(int(m_inventory.stores.size()));
    for (int row = 0; row < m_inventory.stores.size(); ++row) {
        const tls::trust::StoreResult &store = m_inventory.stores[row];
        auto *name = new QTableWidgetItem(store.name);
        name->setToolTip(store.description);
        m_stores->setItem(row, 0, name);
        m_stores->setItem(row, 1, new QTableWidgetItem(store.kind));
        auto *state = new QTableWidgetItem(
            statusDot(outcomeHealth(store.outcome)), outcomeLabel(store.outcome));
        state->setToolTip(store.detail);
        m_stores->setItem(row, 2, state);
        const bool canTrust = store.outcome == StoreOutcome::Missing
            || store.outcome == StoreOutcome::Skipped || store.outcome == StoreOutcome::Failed;
        if (canTrust) {
            auto *trust = new QPushButton(tr("Trust"));
            trust->setAccessibleName(tr("Trust in %1").arg(store.name));
            trust->setToolTip(tr("Install the CA in %1 (like `portico trust --store %2`)")
                                  .arg(store.name, store.kind));
            connect(trust, &QPushButton::clicked, this, [this, row] { trustRow(row); });
            m_stores->setCellWidget(row, 3, trust);
        } else {
            m_stores->removeCellWidget(row, 3);
        }
        auto *where = new QTableWidgetItem(
            store.outcome == StoreOutcome::Unavailable ? store.detail : store.description);
        where->setToolTip(store.detail.isEmpty() ? store.description : store.detail);
        m_stores->setItem(row, 4, where);
    }
    m_stores->resizeColumnsToContents();
}

void CertificatesPage::setIssued(const tls::IssuedCertificates &issued)
{
    const bool newRoot = m_loaded && !isBusy() && issued.caSha256 != currentCa().sha256;
    m_issued = issued;
    showCa(currentCa());
    showLeaves();
    // Another root (a rotation, by this page or `portico ca rotate`): where is it trusted now?
    if (newRoot)
        refresh();
}

CaSummary CertificatesPage::currentCa() const
{
    CaSummary ca = m_inventory.ca;
    if (!m_issued)
        return ca;
    ca.exists = true;
    ca.error.clear();
    ca.subject = m_issued->caSubject;
    ca.sha256 = m_issued->caSha256;
    ca.notBefore = m_issued->caNotBefore;
    ca.notAfter = m_issued->caNotAfter;
    ca.path = m_issued->caPath;
    ca.permits = m_issued->permits;
    return ca;
}

void CertificatesPage::showLeaves()
{
    if (m_issued) {
        m_leaves->setRowCount(int(m_issued->leaves.size()));
        for (int row = 0; row < m_issued->leaves.size(); ++row) {
            const tls::IssuedLeaf &leaf = m_issued->leaves[row];
            showLeaf(row, leaf.name, leaf.notBefore, leaf.notAfter, leaf.issuerSha256, leaf.path);
        }
    } else {
        m_leaves->setRowCount(int(m_inventory.leaves.size()));
        for (int row = 0; row < m_inventory.leaves.size(); ++row) {
            const LeafSummary &leaf = m_inventory.leaves[row];
            // readInventory keeps only leaves this CA signed.
            showLeaf(
                row, leaf.name, leaf.notBefore, leaf.notAfter, m_inventory.ca.sha256, leaf.path);
        }
    }
    m_leaves->resizeColumnsToContents();
}

/// `in 89 days`, `in 1 day`, `today`, `expired 3 days ago`.
static QString daysText(qint64 days)
{
    using Page = CertificatesPage;
    if (days == 0)
        return Page::tr("today");
    if (days == 1)
        return Page::tr("in 1 day");
    if (days == -1)
        return Page::tr("expired 1 day ago");
    return days > 0 ? Page::tr("in %1 days").arg(days) : Page::tr("expired %1 days ago").arg(-days);
}

void CertificatesPage::showLeaf(int row, const QString &name, const QDateTime &notBefore,
    const QDateTime &notAfter, const QString &issuer, const QString &path)
{
    const QString format = QStringLiteral("yyyy-MM-dd HH:mm");
    m_leaves->setItem(row, 0, new QTableWidgetItem(name));
    m_leaves->setItem(row, 1, new QTableWidgetItem(notBefore.toLocalTime().toString(format)));
    const qint64 days = QDateTime::currentDateTimeUtc().daysTo(notAfter);
    auto *expires = new QTableWidgetItem(statusDot(days < 0  ? Health::Error
                                                 : days < 14 ? Health::Warning
                                                             : Health::Running),
        QStringLiteral("%1 (%2)").arg(notAfter.toLocalTime().toString(format), daysText(days)));
    m_leaves->setItem(row, 2, expires);
    // The start of the fingerprint tells roots apart; the whole one is in the tool tip.
    auto *signer = new QTableWidgetItem(
        issuer.isEmpty() ? tr("not the current CA") : issuer.left(16) + QStringLiteral("…"));
    signer->setToolTip(issuer);
    m_leaves->setItem(row, 3, signer);
    m_leaves->setItem(row, 4, new QTableWidgetItem(path));
}

void CertificatesPage::trustRow(int row)
{
    if (row < 0 || row >= m_inventory.stores.size())
        return;
    const tls::trust::StoreResult store = m_inventory.stores[row];
    m_message->setText(tr("Trusting the CA in %1…").arg(store.name));
    setBusy(true);
    offThread(
        this,
        [dir = m_caDir, env = m_environment, store] {
            const auto results = trustStore(dir, env, store.kind, store.name);
            return std::make_pair(results, readInventory(dir, env));
        },
        [this](const std::pair<QList<tls::trust::StoreResult>, CertificateInventory> &done) {
            showResults(done.first);
            showInventory(done.second);
            setBusy(false);
        });
}

void CertificatesPage::rotate()
{
    const auto answer = QMessageBox::question(this, tr("Rotate the local CA?"),
        tr("Portico creates a new root certificate, trusts it wherever the current one is "
           "trusted and removes the current one there. Every certificate it issued is issued "
           "again; clients that pinned the old root must trust the new one."),
        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer == QMessageBox::Yes)
        rotateNow();
}

void CertificatesPage::rotateNow()
{
    m_message->setText(tr("Rotating the local CA…"));
    setBusy(true);
    offThread(
        this,
        [dir = m_caDir, env = m_environment, suffixes = m_extraSuffixes] {
            auto rotated = rotateCa(dir, env, suffixes);
            return std::make_pair(rotated, readInventory(dir, env));
        },
        [this](
            const std::pair<Expected<QList<tls::trust::StoreResult>>, CertificateInventory> &done) {
            if (done.first) {
                showResults(*done.first);
                m_message->setText(tr("Rotated. ") + m_message->text());
                Q_EMIT caRotated();
            } else {
                m_message->setText(tr("Rotation failed: %1").arg(done.first.error().toString()));
            }
            showInventory(done.second);
            setBusy(false);
        });
}

void CertificatesPage::showResults(const QList<tls::trust::StoreResult> &results)
{
    QStringList lines;
    for (const tls::trust::StoreResult &result : results)
        lines << result.toLine().trimmed();
    m_message->setText(lines.isEmpty() ? tr("No store was changed.") : lines.join(u'\n'));
}

QString CertificatesPage::message() const
{
    return m_message->text();
}

} // namespace portico::ui
