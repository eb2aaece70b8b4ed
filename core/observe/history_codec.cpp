#include "core/observe/history_codec.h"

#include <QDataStream>
#include <QIODevice>

namespace portico::observe::history {

namespace {

// Bump when the layout changes; decoders refuse versions they do not know.
constexpr quint8 metaVersion = 1;
constexpr quint8 messagesVersion = 1;

QDataStream &operator<<(QDataStream &out, const HeaderList &headers)
{
    out << quint32(headers.size());
    for (const auto &field : headers)
        out << field.name << field.value;
    return out;
}

QDataStream &operator>>(QDataStream &in, HeaderList &headers)
{
    quint32 count = 0;
    in >> count;
    for (quint32 i = 0; i < count && in.status() == QDataStream::Ok; ++i) {
        QByteArray name;
        QByteArray value;
        in >> name >> value;
        headers.add(std::move(name), std::move(value));
    }
    return in;
}

void writeBodyMeta(QDataStream &out, const CapturedBody &body)
{
    out << body.size << body.truncated << body.evicted;
}

void readBodyMeta(QDataStream &in, CapturedBody &body)
{
    in >> body.size >> body.truncated >> body.evicted;
}

} // namespace

QByteArray encodeRecordMeta(const ExchangeRecord &r)
{
    QByteArray blob;
    QDataStream out(&blob, QIODevice::WriteOnly);
    out.setVersion(QDataStream::Qt_6_4);
    out << metaVersion << r.id << r.startedUs << qint32(r.state) << qint32(r.protocol);
    out << r.timing.clientTls << r.timing.routing << r.timing.upstreamConnect
        << r.timing.timeToFirstByte << r.timing.total;
    out << r.entryPoint << r.clientAddress << r.clientPort << r.tls << r.tlsVersion << r.tlsCipher
        << r.router << r.service << r.middlewares << r.serverUrl << qint32(r.retryAttempts)
        << r.clientUsername;
    out << r.method << r.scheme << r.host << r.target << r.httpVersion << r.requestHeaders
        << r.forwardedTarget << r.forwardedRequestHeaders;
    writeBodyMeta(out, r.requestBody);
    out << qint32(r.originStatus) << r.originResponseHeaders << qint32(r.status)
        << r.responseHeaders;
    writeBodyMeta(out, r.responseBody);
    out << r.originDurationUs << r.originContentSize << r.messagesTruncated << r.error;
    return blob;
}

bool decodeRecordMeta(const QByteArray &blob, ExchangeRecord &r)
{
    QDataStream in(blob);
    in.setVersion(QDataStream::Qt_6_4);
    quint8 version = 0;
    in >> version;
    if (version != metaVersion)
        return false;
    qint32 state = 0, protocol = 0, retries = 0, originStatus = 0, status = 0;
    in >> r.id >> r.startedUs >> state >> protocol;
    in >> r.timing.clientTls >> r.timing.routing >> r.timing.upstreamConnect
        >> r.timing.timeToFirstByte >> r.timing.total;
    in >> r.entryPoint >> r.clientAddress >> r.clientPort >> r.tls >> r.tlsVersion >> r.tlsCipher
        >> r.router >> r.service >> r.middlewares >> r.serverUrl >> retries >> r.clientUsername;
    in >> r.method >> r.scheme >> r.host >> r.target >> r.httpVersion >> r.requestHeaders
        >> r.forwardedTarget >> r.forwardedRequestHeaders;
    readBodyMeta(in, r.requestBody);
    in >> originStatus >> r.originResponseHeaders >> status >> r.responseHeaders;
    readBodyMeta(in, r.responseBody);
    in >> r.originDurationUs >> r.originContentSize >> r.messagesTruncated >> r.error;
    if (in.status() != QDataStream::Ok || state < 0 || state > int(RecordState::Aborted)
        || protocol < 0 || protocol > int(Protocol::Grpc))
        return false;
    r.state = RecordState(state);
    r.protocol = Protocol(protocol);
    r.retryAttempts = retries;
    r.originStatus = originStatus;
    r.status = status;
    return true;
}

QByteArray encodeMessages(const std::vector<MessageRecord> &messages)
{
    if (messages.empty())
        return {};
    QByteArray blob;
    QDataStream out(&blob, QIODevice::WriteOnly);
    out.setVersion(QDataStream::Qt_6_4);
    out << messagesVersion << quint32(messages.size());
    for (const auto &m : messages)
        out << m.toClient << m.atUs << qint32(m.opcode) << m.data << m.truncated;
    return blob;
}

bool decodeMessages(const QByteArray &blob, std::vector<MessageRecord> &messages)
{
    if (blob.isEmpty())
        return true;
    QDataStream in(blob);
    in.setVersion(QDataStream::Qt_6_4);
    quint8 version = 0;
    quint32 count = 0;
    in >> version >> count;
    if (version != messagesVersion)
        return false;
    for (quint32 i = 0; i < count && in.status() == QDataStream::Ok; ++i) {
        MessageRecord m;
        qint32 opcode = 0;
        in >> m.toClient >> m.atUs >> opcode >> m.data >> m.truncated;
        m.opcode = opcode;
        messages.push_back(std::move(m));
    }
    return in.status() == QDataStream::Ok;
}

QString searchableHeaders(const ExchangeRecord &record)
{
    QByteArray text;
    for (const HeaderList *headers : { &record.requestHeaders, &record.responseHeaders }) {
        for (const auto &field : *headers)
            text += field.value + '\n';
    }
    return QString::fromUtf8(text);
}

} // namespace portico::observe::history
