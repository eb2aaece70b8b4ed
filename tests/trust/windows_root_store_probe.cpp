// Qt-free probe of core/tls/trust/windows_root_store_win.cpp, built with mingw-w64 and run under
// wine by windows_root_store_test.sh: install, find and remove a certificate in the current
// user's Root store. Exit code 0 when every step behaved.

#include "core/tls/trust/windows_root_store.h"

#include <cstdio>
#include <fstream>
#include <iterator>

using namespace portico::tls::trust::win;

namespace {

int failures = 0;

void expect(const char *step, bool ok, const RootStoreResult &result)
{
    std::printf("%s %s (present=%d count=%d)%s%s\n", ok ? "ok  " : "FAIL", step,
        int(result.present), result.count, result.error.empty() ? "" : ": ", result.error.c_str());
    if (!ok)
        ++failures;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc != 3) {
        std::fprintf(stderr, "usage: probe CERT.der SUBJECT-PREFIX\n");
        return 2;
    }
    std::ifstream file(argv[1], std::ios::binary);
    const Der der((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    if (der.empty()) {
        std::fprintf(stderr, "cannot read %s\n", argv[1]);
        return 2;
    }
    RootStoreResult r = currentUserRootContains(der);
    expect("absent at first", r.error.empty() && !r.present, r);
    r = currentUserRootAdd(der);
    expect("add", r.error.empty(), r);
    r = currentUserRootContains(der);
    expect("found after add", r.error.empty() && r.present, r);
    r = currentUserRootAdd(der);
    expect("add again is a no-op", r.error.empty(), r);
    r = currentUserRootRemove(der);
    expect("remove", r.error.empty() && r.count == 1, r);
    r = currentUserRootContains(der);
    expect("absent after remove", r.error.empty() && !r.present, r);
    r = currentUserRootRemove(der);
    expect("remove again is a no-op", r.error.empty() && r.count == 0, r);
    r = currentUserRootAdd(der);
    expect("add for prefix removal", r.error.empty(), r);
    r = currentUserRootRemoveBySubjectPrefix(argv[2]);
    expect("remove by subject prefix", r.error.empty() && r.count == 1, r);
    r = currentUserRootContains(der);
    expect("absent after prefix removal", r.error.empty() && !r.present, r);
    r = currentUserRootRemoveBySubjectPrefix("No Such Prefix");
    expect("other certificates untouched", r.error.empty() && r.count == 0, r);
    return failures == 0 ? 0 : 1;
}
