// Windows: listening sockets with their owning pid from the IP Helper API
// (GetExtendedTcpTable, TCP_TABLE_OWNER_PID_LISTENER) for AF_INET and AF_INET6. The table already
// carries the pid, so there is nothing to cache. Qt-free: cross-compiled and tested under wine.
#include "core/provider/ports/listener_table.h"

// winsock2.h must come before windows.h.
// clang-format off
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <iphlpapi.h>
// clang-format on

namespace portico::provider::ports {
namespace {

std::string addressText(int family, const void *bytes)
{
    char text[INET6_ADDRSTRLEN] = {};
    if (!::inet_ntop(family, const_cast<void *>(bytes), text, sizeof text))
        return {};
    return text;
}

/// Fills `buffer` with the owner-pid listener table of `family`; the size can grow between the
/// sizing call and the real call, hence the loop.
bool fetchTable(ULONG family, std::vector<unsigned char> &buffer)
{
    for (int attempt = 0; attempt < 4; ++attempt) {
        DWORD size = DWORD(buffer.size());
        const DWORD result = ::GetExtendedTcpTable(buffer.empty() ? nullptr : buffer.data(), &size,
            FALSE, family, TCP_TABLE_OWNER_PID_LISTENER, 0);
        if (result == NO_ERROR)
            return true;
        if (result != ERROR_INSUFFICIENT_BUFFER)
            return false;
        buffer.resize(size + 4096);
    }
    return false;
}

void readIpv4(std::vector<unsigned char> &buffer, std::vector<Listener> &out)
{
    if (!fetchTable(AF_INET, buffer))
        return;
    const auto *table = reinterpret_cast<const MIB_TCPTABLE_OWNER_PID *>(buffer.data());
    for (DWORD i = 0; i < table->dwNumEntries; ++i) {
        const MIB_TCPROW_OWNER_PID &row = table->table[i];
        Listener listener;
        in_addr address;
        address.s_addr = row.dwLocalAddr;
        listener.address = addressText(AF_INET, &address);
        listener.port = ::ntohs(u_short(row.dwLocalPort));
        listener.pid = int64_t(row.dwOwningPid);
        out.push_back(std::move(listener));
    }
}

void readIpv6(std::vector<unsigned char> &buffer, std::vector<Listener> &out)
{
    if (!fetchTable(AF_INET6, buffer))
        return;
    const auto *table = reinterpret_cast<const MIB_TCP6TABLE_OWNER_PID *>(buffer.data());
    for (DWORD i = 0; i < table->dwNumEntries; ++i) {
        const MIB_TCP6ROW_OWNER_PID &row = table->table[i];
        Listener listener;
        listener.address = addressText(AF_INET6, row.ucLocalAddr);
        listener.port = ::ntohs(u_short(row.dwLocalPort));
        listener.pid = int64_t(row.dwOwningPid);
        listener.ipv6 = true;
        out.push_back(std::move(listener));
    }
}

class WindowsListenerTable : public ListenerTable
{
public:
    std::vector<Listener> read() override
    {
        std::vector<Listener> listeners;
        readIpv4(m_buffer, listeners);
        readIpv6(m_buffer, listeners);
        return listeners;
    }

    uint64_t ownerScans() const override { return 0; }

private:
    std::vector<unsigned char> m_buffer; ///< reused between reads
};

std::string toUtf8(const wchar_t *text, DWORD length)
{
    const int size
        = ::WideCharToMultiByte(CP_UTF8, 0, text, int(length), nullptr, 0, nullptr, nullptr);
    std::string out(size_t(size > 0 ? size : 0), '\0');
    if (size > 0)
        ::WideCharToMultiByte(CP_UTF8, 0, text, int(length), out.data(), size, nullptr, nullptr);
    return out;
}

} // namespace

std::unique_ptr<ListenerTable> makeListenerTable()
{
    return std::make_unique<WindowsListenerTable>();
}

std::string executablePath(int64_t pid)
{
    // PROCESS_QUERY_LIMITED_INFORMATION is granted for other users' processes too (not for
    // protected system processes), which is all QueryFullProcessImageNameW needs.
    HANDLE process = ::OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, DWORD(pid));
    if (!process)
        return {};
    wchar_t path[MAX_PATH * 4];
    DWORD length = DWORD(sizeof path / sizeof path[0]);
    const BOOL ok = ::QueryFullProcessImageNameW(process, 0, path, &length);
    ::CloseHandle(process);
    return ok ? toUtf8(path, length) : std::string();
}

int64_t currentProcessId()
{
    return int64_t(::GetCurrentProcessId());
}

int64_t currentUserId()
{
    return -1; // Windows users are SIDs; ownership is not compared there
}

} // namespace portico::provider::ports
