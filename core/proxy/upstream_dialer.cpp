#include "core/proxy/upstream_dialer.h"

#include "core/common/log.h"
#include "core/proxy/upstream_pool.h"

#include <QHostInfo>
#include <QMetaObject>

namespace portico::proxy {

bool UpstreamDialer::resolve(
    UpstreamPool &pool, const UpstreamKey &key, QObject *context, std::function<void()> ready)
{
    QHostAddress literal;
    if (literal.setAddress(key.host)) {
        m_candidates = { literal };
        return true;
    }
    if (key.host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0) {
        const QHostAddress v4(QHostAddress::LocalHost), v6(QHostAddress::LocalHostIPv6);
        m_candidates
            = pool.preferredAddress(key) == v6 ? std::vector { v6, v4 } : std::vector { v4, v6 };
        return true;
    }
    QHostInfo::lookupHost(key.host, context,
        [this, host = key.host, ready = std::move(ready)](const QHostInfo &info) {
            m_candidates.assign(info.addresses().begin(), info.addresses().end());
            if (m_candidates.empty())
                qCDebug(lcProxy) << "cannot resolve" << host << info.errorString();
            ready();
        });
    return false;
}

bool UpstreamDialer::connectNext(
    quint16 port, std::unique_ptr<Stream> &stream, StreamHandler *handler, QObject *context)
{
    while (!m_candidates.empty()) {
        m_dialing = m_candidates.front();
        m_candidates.erase(m_candidates.begin());
        int error = 0;
        const net::Handle socket = net::connectStart(m_dialing, port, &error);
        if (socket == net::InvalidHandle) {
            m_lastError = error;
            continue;
        }
        if (stream) {
            std::shared_ptr<Stream> failed(stream.release());
            QMetaObject::invokeMethod(
                context, [failed] {}, Qt::QueuedConnection);
        }
        stream = std::make_unique<Stream>(socket, handler, true);
        return true;
    }
    return false;
}

} // namespace portico::proxy
