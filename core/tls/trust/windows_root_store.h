#pragma once

// Qt-free on purpose: this layer is compiled and tested with mingw-w64 under wine, where Qt
// itself is not available.

#include <string>
#include <vector>

namespace portico::tls::trust::win {

/// DER bytes of one certificate.
using Der = std::vector<unsigned char>;

/// Outcome of one operation on a certificate store: `error` empty on success.
struct RootStoreResult
{
    bool present = false; ///< contains(): whether the certificate is there
    int count = 0; ///< removeBySubjectPrefix(): how many were removed
    std::string error; ///< `CertOpenStore failed: 0x80070005` style text
};

/// Whether `der` (matched by SHA-1 thumbprint, then compared byte for byte) is in the current
/// user's Root store.
RootStoreResult currentUserRootContains(const Der &der);
/// Adds `der` to the current user's Root store; nothing happens when it is already there. On real
/// Windows this shows the system's confirmation dialog, which the user must accept.
RootStoreResult currentUserRootAdd(const Der &der);
/// Removes `der` from the current user's Root store when present.
RootStoreResult currentUserRootRemove(const Der &der);
/// Removes every certificate whose subject common name starts with `prefix` (UTF-8), i.e.
/// every rotation of Portico's CA.
RootStoreResult currentUserRootRemoveBySubjectPrefix(const std::string &prefix);

} // namespace portico::tls::trust::win
