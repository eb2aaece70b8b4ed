#pragma once

#include <memory>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace portico::tls {

/// Deleter calling OpenSSL's free function `Free` (its return value, if any, is ignored).
template <auto Free> struct OpensslDeleter
{
    template <typename T> void operator()(T *p) const { Free(p); }
};

/// Sole ownership of one OpenSSL object; the alias names the type it frees.
template <typename T, auto Free> using OpensslPtr = std::unique_ptr<T, OpensslDeleter<Free>>;

using X509Ptr = OpensslPtr<X509, X509_free>;
using EvpPkeyPtr = OpensslPtr<EVP_PKEY, EVP_PKEY_free>;
using BioPtr = OpensslPtr<BIO, BIO_free_all>;
using BignumPtr = OpensslPtr<BIGNUM, BN_free>;
using Asn1IntegerPtr = OpensslPtr<ASN1_INTEGER, ASN1_INTEGER_free>;
using Asn1OctetStringPtr = OpensslPtr<ASN1_OCTET_STRING, ASN1_OCTET_STRING_free>;
using Asn1StringPtr = OpensslPtr<ASN1_STRING, ASN1_STRING_free>;
using GeneralNamePtr = OpensslPtr<GENERAL_NAME, GENERAL_NAME_free>;
using GeneralNamesPtr = OpensslPtr<GENERAL_NAMES, GENERAL_NAMES_free>;
using GeneralSubtreePtr = OpensslPtr<GENERAL_SUBTREE, GENERAL_SUBTREE_free>;
using NameConstraintsPtr = OpensslPtr<NAME_CONSTRAINTS, NAME_CONSTRAINTS_free>;
using BasicConstraintsPtr = OpensslPtr<BASIC_CONSTRAINTS, BASIC_CONSTRAINTS_free>;
using ExtendedKeyUsagePtr = OpensslPtr<EXTENDED_KEY_USAGE, EXTENDED_KEY_USAGE_free>;
using X509NamePtr = OpensslPtr<X509_NAME, X509_NAME_free>;
using X509ExtensionPtr = OpensslPtr<X509_EXTENSION, X509_EXTENSION_free>;
using X509StorePtr = OpensslPtr<X509_STORE, X509_STORE_free>;
using X509StoreCtxPtr = OpensslPtr<X509_STORE_CTX, X509_STORE_CTX_free>;
using SslCtxPtr = OpensslPtr<SSL_CTX, SSL_CTX_free>;
using SslPtr = OpensslPtr<SSL, SSL_free>;

/// Shared, immutable handles: leaves and the CA are read by several threads once built.
using SharedX509 = std::shared_ptr<X509>;
using SharedEvpPkey = std::shared_ptr<EVP_PKEY>;
using SharedSslCtx = std::shared_ptr<SSL_CTX>;

/// Moves sole ownership into a shared handle that frees with the right function.
inline SharedX509 share(X509Ptr p)
{
    return SharedX509(p.release(), X509_free);
}
inline SharedEvpPkey share(EvpPkeyPtr p)
{
    return SharedEvpPkey(p.release(), EVP_PKEY_free);
}
inline SharedSslCtx share(SslCtxPtr p)
{
    return SharedSslCtx(p.release(), SSL_CTX_free);
}

} // namespace portico::tls
