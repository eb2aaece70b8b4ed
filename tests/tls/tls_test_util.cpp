#include "tests/tls/tls_test_util.h"

#include "core/tls/certificate_builder.h"
#include "core/tls/openssl_error.h"
#include "core/tls/pem_file.h"
#include "core/tls/server_context.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTest>
#include <QUuid>

#include <openssl/err.h>

namespace portico::tls::testing {

OpensslVerdict opensslVerify(
    const QString &caPath, X509 *leaf, const QString &name, const QString &scratchDir)
{
    OpensslVerdict verdict;
    const QString openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
    if (openssl.isEmpty()) {
        QTest::qFail("the openssl command is not installed", __FILE__, __LINE__);
        return verdict;
    }
    const QString leafPath = scratchDir
        + QStringLiteral("/leaf-%1.pem").arg(QUuid::createUuid().toString(QUuid::Id128));
    auto pem = certificateToPem(leaf);
    if (!pem || !writeFileAtomically(leafPath, *pem, ownerOnlyFile)) {
        QTest::qFail("cannot write the leaf for openssl", __FILE__, __LINE__);
        return verdict;
    }
    QStringList args { QStringLiteral("verify"), QStringLiteral("-CAfile"), caPath,
        QStringLiteral("-purpose"), QStringLiteral("sslserver") };
    if (!name.isEmpty()) {
        const bool ip = parseDevName(name) && parseDevName(name)->isIp();
        args << (ip ? QStringLiteral("-verify_ip") : QStringLiteral("-verify_hostname")) << name;
    }
    args << leafPath;
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(openssl, args);
    if (!process.waitForFinished(30000)) {
        QTest::qFail("openssl verify did not finish", __FILE__, __LINE__);
        return verdict;
    }
    verdict.exitCode = process.exitCode();
    verdict.output = QString::fromLocal8Bit(process.readAll()).trimmed();
    return verdict;
}

int verifyInProcess(X509 *ca, X509 *leaf, const QString &name)
{
    const X509StorePtr store(X509_STORE_new());
    const X509StoreCtxPtr ctx(X509_STORE_CTX_new());
    if (!store || !ctx || !X509_STORE_add_cert(store.get(), ca)
        || !X509_STORE_CTX_init(ctx.get(), store.get(), leaf, nullptr)) {
        return X509_V_ERR_UNSPECIFIED;
    }
    X509_STORE_CTX_set_purpose(ctx.get(), X509_PURPOSE_SSL_SERVER);
    X509_VERIFY_PARAM *param = X509_STORE_CTX_get0_param(ctx.get());
    if (!name.isEmpty()) {
        const QByteArray ascii = name.toLatin1();
        const auto parsed = parseDevName(name);
        if (parsed && parsed->isIp())
            X509_VERIFY_PARAM_set1_ip_asc(param, ascii.constData());
        else
            X509_VERIFY_PARAM_set1_host(param, ascii.constData(), size_t(ascii.size()));
    }
    const int ok = X509_verify_cert(ctx.get());
    ERR_clear_error();
    return ok == 1 ? X509_V_OK : X509_STORE_CTX_get_error(ctx.get());
}

X509Ptr forgeLeaf(const LocalCa &ca, const QStringList &dnsNames, const QList<QByteArray> &ips,
    const QString &commonName, EvpPkeyPtr *keyOut)
{
    auto key = generateKey();
    QList<QPair<QByteArray, QString>> attributes { { "O", QStringLiteral("forged") } };
    if (!commonName.isEmpty())
        attributes.append({ "CN", commonName });
    auto subject = makeName(attributes);
    if (!key || !subject)
        return nullptr;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    auto cert = newCertificate({ key->get(), subject->get(),
        X509_get_subject_name(ca.certificate()), now.addSecs(-60), now.addDays(30) });
    if (!cert || !addConfExtension(cert->get(), ca.certificate(), NID_ext_key_usage, "serverAuth")
        || !addConfExtension(
            cert->get(), ca.certificate(), NID_authority_key_identifier, "keyid:always")) {
        return nullptr;
    }
    if (!dnsNames.isEmpty() || !ips.isEmpty()) {
        const GeneralNamesPtr san(GENERAL_NAMES_new());
        for (const QString &dns : dnsNames)
            sk_GENERAL_NAME_push(san.get(), dnsGeneralName(dns.toLatin1()).release());
        for (const QByteArray &ip : ips)
            sk_GENERAL_NAME_push(san.get(), ipGeneralName(ip).release());
        if (!addExtension(cert->get(), NID_subject_alt_name, san.get(), false))
            return nullptr;
    }
    if (!signCertificate(cert->get(), ca.key()))
        return nullptr;
    if (keyOut)
        *keyOut = std::move(*key);
    return std::move(*cert);
}

namespace {

SslCtxPtr clientContext(X509 *ca, int maxVersion)
{
    SslCtxPtr ctx(SSL_CTX_new(TLS_client_method()));
    if (!ctx)
        return nullptr;
    X509_STORE_add_cert(SSL_CTX_get_cert_store(ctx.get()), ca);
    SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);
    if (maxVersion)
        SSL_CTX_set_max_proto_version(ctx.get(), maxVersion);
    return ctx;
}

void configureClient(SSL *client, const QString &name, const QList<QByteArray> &alpn)
{
    const QByteArray ascii = name.toLatin1();
    const auto parsed = parseDevName(name);
    if (parsed && parsed->isIp()) {
        X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(client), ascii.constData());
    } else {
        SSL_set_tlsext_host_name(client, ascii.constData());
        SSL_set1_host(client, ascii.constData());
    }
    const QByteArray wire = alpnWireList(alpn);
    if (!wire.isEmpty()) {
        SSL_set_alpn_protos(client, reinterpret_cast<const unsigned char *>(wire.constData()),
            unsigned(wire.size()));
    }
}

// Drives both ends until neither makes progress; a BIO pair needs no sockets or threads.
bool pump(SSL *client, SSL *server)
{
    for (int round = 0; round < 20; ++round) {
        const int c = SSL_do_handshake(client);
        const int s = SSL_do_handshake(server);
        if (c == 1 && s == 1)
            return true;
        const int ce = SSL_get_error(client, c), se = SSL_get_error(server, s);
        const bool waiting = (c == 1 || ce == SSL_ERROR_WANT_READ || ce == SSL_ERROR_WANT_WRITE)
            && (s == 1 || se == SSL_ERROR_WANT_READ || se == SSL_ERROR_WANT_WRITE);
        if (!waiting)
            return false;
    }
    return false;
}

} // namespace

Handshake handshake(SSL_CTX *server, X509 *ca, const QString &name,
    const QList<QByteArray> &clientAlpn, int clientMaxVersion)
{
    Handshake result;
    const SslCtxPtr clientCtx = clientContext(ca, clientMaxVersion);
    const SslPtr client(SSL_new(clientCtx.get()));
    const SslPtr serverSsl(SSL_new(server));
    BIO *clientBio = nullptr, *serverBio = nullptr;
    if (!client || !serverSsl || !BIO_new_bio_pair(&clientBio, 0, &serverBio, 0)) {
        result.error = QStringLiteral("cannot set up the handshake");
        return result;
    }
    SSL_set_bio(client.get(), clientBio, clientBio);
    SSL_set_bio(serverSsl.get(), serverBio, serverBio);
    SSL_set_connect_state(client.get());
    SSL_set_accept_state(serverSsl.get());
    configureClient(client.get(), name, clientAlpn);
    result.completed = pump(client.get(), serverSsl.get());
    if (!result.completed)
        result.error = opensslError(QStringLiteral("handshake failed")).message;
    result.verifyResult = SSL_get_verify_result(client.get());
    const unsigned char *proto = nullptr;
    unsigned int length = 0;
    SSL_get0_alpn_selected(client.get(), &proto, &length);
    result.alpn = QByteArray(reinterpret_cast<const char *>(proto), int(length));
    result.version = SSL_get_version(client.get());
    return result;
}

QStringList strings(std::initializer_list<const char *> items)
{
    QStringList out;
    for (const char *item : items)
        out << QString::fromLatin1(item);
    return out;
}

int criticality(X509 *certificate, int nid)
{
    const int index = X509_get_ext_by_NID(certificate, nid, -1);
    if (index < 0)
        return -1;
    return X509_EXTENSION_get_critical(X509_get_ext(certificate, index));
}

std::shared_ptr<const LeafCertificate> mustIssue(LeafIssuer &issuer, const QString &name)
{
    auto leaf = issuer.certificateFor(name);
    if (!leaf.ok()) {
        QTest::qFail(qPrintable(leaf.error().toString()), __FILE__, __LINE__);
        return nullptr;
    }
    return *leaf;
}

} // namespace portico::tls::testing
