#include "core/tls/trust/windows_root_store.h"

#include <algorithm>
#include <cstdio>

// windows.h must come first: wincrypt.h relies on its types.
// clang-format off
#include <windows.h>
#include <wincrypt.h>
// clang-format on

namespace portico::tls::trust::win {

namespace {

std::string failure(const char *what)
{
    char text[96];
    std::snprintf(
        text, sizeof text, "%s failed: 0x%08lx", what, static_cast<unsigned long>(GetLastError()));
    return text;
}

/// Which view of the current user's Root store to open.
enum class View {
    // The logical store: the user's own roots plus the machine's, i.e. what Windows trusts.
    Effective,
    // Only the user's registry-backed roots (HKCU\...\SystemCertificates\Root). Deleting
    // through the logical store is not persisted by wine (checked under wine 8.0); through the
    // physical store it is, on Windows as well.
    UserRegistry,
};

/// The current user's Root store, closed on scope exit.
class RootStore
{
public:
    explicit RootStore(View view = View::Effective)
        : m_store(CertOpenStore(
            view == View::Effective ? CERT_STORE_PROV_SYSTEM_W : CERT_STORE_PROV_SYSTEM_REGISTRY_W,
            0, 0, CERT_SYSTEM_STORE_CURRENT_USER, L"ROOT"))
    { }
    ~RootStore()
    {
        if (m_store)
            CertCloseStore(m_store, 0);
    }
    RootStore(const RootStore &) = delete;
    RootStore &operator=(const RootStore &) = delete;

    HCERTSTORE get() const { return m_store; }

private:
    HCERTSTORE m_store;
};

// Finds `der` by its SHA-1 hash (what the store indexes), then confirms the bytes: the caller
// frees the returned context.
PCCERT_CONTEXT findCertificate(HCERTSTORE store, const Der &der)
{
    BYTE sha1[20];
    DWORD size = sizeof sha1;
    if (!CryptHashCertificate(0, CALG_SHA1, 0, der.data(), DWORD(der.size()), sha1, &size))
        return nullptr;
    CRYPT_HASH_BLOB hash { size, sha1 };
    PCCERT_CONTEXT found = nullptr;
    while ((found = CertFindCertificateInStore(
                store, X509_ASN_ENCODING, 0, CERT_FIND_SHA1_HASH, &hash, found))) {
        if (found->cbCertEncoded == der.size()
            && std::equal(der.begin(), der.end(), found->pbCertEncoded))
            return found;
    }
    return nullptr;
}

std::string commonName(PCCERT_CONTEXT certificate)
{
    wchar_t name[256];
    const DWORD length = CertGetNameStringW(
        certificate, CERT_NAME_ATTR_TYPE, 0, const_cast<char *>(szOID_COMMON_NAME), name, 256);
    if (length <= 1)
        return {};
    char utf8[1024];
    const int bytes
        = WideCharToMultiByte(CP_UTF8, 0, name, -1, utf8, sizeof utf8, nullptr, nullptr);
    return bytes > 0 ? std::string(utf8) : std::string();
}

} // namespace

RootStoreResult currentUserRootContains(const Der &der)
{
    RootStore store;
    if (!store.get())
        return { false, 0, failure("CertOpenStore") };
    PCCERT_CONTEXT found = findCertificate(store.get(), der);
    if (found)
        CertFreeCertificateContext(found);
    return { found != nullptr, 0, {} };
}

RootStoreResult currentUserRootAdd(const Der &der)
{
    RootStore store;
    if (!store.get())
        return { false, 0, failure("CertOpenStore") };
    // CERT_STORE_ADD_USE_EXISTING keeps an identical certificate already there: idempotent.
    if (!CertAddEncodedCertificateToStore(store.get(), X509_ASN_ENCODING, der.data(),
            DWORD(der.size()), CERT_STORE_ADD_USE_EXISTING, nullptr))
        return { false, 0, failure("CertAddEncodedCertificateToStore") };
    return { true, 0, {} };
}

RootStoreResult currentUserRootRemove(const Der &der)
{
    RootStore store(View::UserRegistry);
    if (!store.get())
        return { false, 0, failure("CertOpenStore") };
    PCCERT_CONTEXT found = findCertificate(store.get(), der);
    if (!found)
        return { false, 0, {} };
    // CertDeleteCertificateFromStore frees the context, even when it fails.
    if (!CertDeleteCertificateFromStore(found))
        return { true, 0, failure("CertDeleteCertificateFromStore") };
    return { false, 1, {} };
}

RootStoreResult currentUserRootRemoveBySubjectPrefix(const std::string &prefix)
{
    RootStore store(View::UserRegistry);
    if (!store.get())
        return { false, 0, failure("CertOpenStore") };
    // Collect first, delete afterwards: deleting while enumerating skips or revisits entries.
    std::vector<PCCERT_CONTEXT> doomed;
    PCCERT_CONTEXT current = nullptr;
    while ((current = CertEnumCertificatesInStore(store.get(), current))) {
        if (commonName(current).rfind(prefix, 0) == 0)
            doomed.push_back(CertDuplicateCertificateContext(current));
    }
    RootStoreResult outcome;
    for (PCCERT_CONTEXT certificate : doomed) {
        // Frees `certificate` whether or not it succeeds.
        if (CertDeleteCertificateFromStore(certificate))
            ++outcome.count;
        else
            outcome.error = failure("CertDeleteCertificateFromStore");
    }
    return outcome;
}

} // namespace portico::tls::trust::win
