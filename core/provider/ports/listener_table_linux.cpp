// Linux: listening sockets from the kernel's sock_diag netlink dump (filtered to TCP_LISTEN by the
// kernel), or from /proc/net/tcp{,6} (state 0A) where netlink is not allowed; owners by matching
// socket inodes against /proc/<pid>/fd. The owner walk is the expensive part, so owners are
// cached by inode and the walk runs only when an inode appears that was never looked up.
#include "core/provider/ports/listener_table.h"
#include "core/provider/ports/sock_diag_linux.h"

#include <arpa/inet.h>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <unordered_map>
#include <unordered_set>

namespace portico::provider::ports {
namespace {

/// Reads a whole /proc file into `out` (reusing its capacity); false when it cannot be opened.
bool slurp(const char *path, std::string &out)
{
    out.clear();
    const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    char chunk[65536];
    for (;;) {
        const ssize_t n = ::read(fd, chunk, sizeof chunk);
        if (n <= 0)
            break;
        out.append(chunk, size_t(n));
    }
    ::close(fd);
    return true;
}

/// Skips to the next whitespace-separated field; returns its start.
const char *nextField(const char *p, const char *end)
{
    while (p < end && *p != ' ' && *p != '\n')
        ++p;
    while (p < end && *p == ' ')
        ++p;
    return p;
}

/// The kernel prints addresses as 32-bit words in host byte order ("%08X" per word), so parsing
/// each word and copying it into memory as-is restores the network-order bytes.
std::string parseAddress(const char *hex, bool ipv6)
{
    unsigned char bytes[16];
    const int words = ipv6 ? 4 : 1;
    for (int i = 0; i < words; ++i) {
        char word[9] = {};
        std::memcpy(word, hex + 8 * i, 8);
        const uint32_t value = uint32_t(std::strtoul(word, nullptr, 16));
        std::memcpy(bytes + 4 * i, &value, 4);
    }
    char text[INET6_ADDRSTRLEN] = {};
    ::inet_ntop(ipv6 ? AF_INET6 : AF_INET, bytes, text, sizeof text);
    return text;
}

/// Parses one table line (`sl local rem st queues timers retr uid timeout inode ...`); true
/// when it is a listening socket.
bool parseLine(const char *p, const char *end, bool ipv6, Listener &out)
{
    while (p < end && *p == ' ')
        ++p;
    const char *local = nextField(p, end);
    const char *remote = nextField(local, end);
    const char *state = nextField(remote, end);
    if (end - state < 2 || state[0] != '0' || state[1] != 'A')
        return false;
    const size_t hexLength = ipv6 ? 32 : 8;
    if (size_t(remote - local) < hexLength + 5 || local[hexLength] != ':')
        return false;
    const char *field = state;
    for (int i = 0; i < 4; ++i) // queues, timers, retransmits → uid
        field = nextField(field, end);
    out.uid = std::strtoll(field, nullptr, 10);
    field = nextField(nextField(field, end), end); // timeout → inode
    out.inode = std::strtoull(field, nullptr, 10);
    out.port = uint16_t(std::strtoul(local + hexLength + 1, nullptr, 16));
    out.address = parseAddress(local, ipv6);
    out.ipv6 = ipv6;
    return true;
}

void readTable(const char *path, bool ipv6, std::string &buffer, std::vector<Listener> &out)
{
    if (!slurp(path, buffer))
        return;
    const char *p = buffer.data();
    const char *end = p + buffer.size();
    p = static_cast<const char *>(std::memchr(p, '\n', size_t(end - p))); // header line
    while (p && ++p < end) {
        const char *lineEnd = static_cast<const char *>(std::memchr(p, '\n', size_t(end - p)));
        if (!lineEnd)
            lineEnd = end;
        Listener listener;
        if (parseLine(p, lineEnd, ipv6, listener))
            out.push_back(std::move(listener));
        p = lineEnd;
    }
}

/// The inode of a `/proc/<pid>/fd/<n>` link target `socket:[12345]`, 0 for anything else.
uint64_t socketInode(const char *link, ssize_t length)
{
    static constexpr char prefix[] = "socket:[";
    if (length < ssize_t(sizeof prefix) || std::memcmp(link, prefix, sizeof prefix - 1) != 0)
        return 0;
    return std::strtoull(link + sizeof prefix - 1, nullptr, 10);
}

class LinuxListenerTable : public ListenerTable
{
public:
    explicit LinuxListenerTable(bool useProc)
        : m_useProc(useProc)
    { }

    std::vector<Listener> read() override
    {
        std::vector<Listener> listeners;
        listeners.reserve(m_lastCount);
        if (m_useProc || !readSockDiag(AF_INET, listeners) || !readSockDiag(AF_INET6, listeners)) {
            m_useProc = true; // stays on /proc once netlink failed (seccomp, old kernel)
            listeners.clear();
            readTable("/proc/net/tcp", false, m_buffer, listeners);
            readTable("/proc/net/tcp6", true, m_buffer, listeners);
        }
        m_lastCount = listeners.size();
        forgetClosed(listeners);
        if (needsOwnerScan(listeners))
            scanOwners(listeners);
        for (Listener &listener : listeners) {
            const auto owner = m_owners.find(listener.inode);
            if (owner != m_owners.end())
                listener.pid = owner->second;
        }
        return listeners;
    }

    uint64_t ownerScans() const override { return m_scans; }

private:
    bool wanted(const Listener &listener) const
    {
        return listener.inode != 0 && (m_euid == 0 || listener.uid == int64_t(m_euid));
    }

    bool needsOwnerScan(const std::vector<Listener> &listeners) const
    {
        for (const Listener &listener : listeners) {
            if (wanted(listener) && !m_owners.count(listener.inode)
                && !m_unresolved.count(listener.inode))
                return true;
        }
        return false;
    }

    /// Drops cache entries of sockets that no longer listen (inodes are reused by the kernel).
    void forgetClosed(const std::vector<Listener> &listeners)
    {
        std::unordered_set<uint64_t> alive;
        alive.reserve(listeners.size());
        for (const Listener &listener : listeners)
            alive.insert(listener.inode);
        std::erase_if(m_owners, [&](const auto &entry) { return !alive.count(entry.first); });
        std::erase_if(m_unresolved, [&](uint64_t inode) { return !alive.count(inode); });
    }

    /// One walk over every visible process's fds, resolving all unknown inodes at once. A socket
    /// shared by several processes (a pre-fork server, a reloader and its worker) is attributed to
    /// the lowest pid, usually the parent the user started.
    void scanOwners(const std::vector<Listener> &listeners)
    {
        ++m_scans;
        std::unordered_set<uint64_t> unknown;
        for (const Listener &listener : listeners) {
            if (wanted(listener) && !m_owners.count(listener.inode))
                unknown.insert(listener.inode);
        }
        DIR *proc = ::opendir("/proc");
        if (!proc)
            return;
        while (const dirent *entry = ::readdir(proc)) {
            char *endOfNumber = nullptr;
            const long pid = std::strtol(entry->d_name, &endOfNumber, 10);
            if (pid > 0 && *endOfNumber == '\0')
                scanProcess(pid, unknown);
        }
        ::closedir(proc);
        for (uint64_t inode : unknown) {
            if (!m_owners.count(inode))
                m_unresolved.insert(inode);
        }
    }

    void scanProcess(long pid, const std::unordered_set<uint64_t> &unknown)
    {
        char path[64];
        std::snprintf(path, sizeof path, "/proc/%ld/fd", pid);
        struct stat info;
        // Other users' fd directories are unreadable anyway; skip them without opening.
        if (m_euid != 0 && (::stat(path, &info) != 0 || info.st_uid != m_euid))
            return;
        DIR *fds = ::opendir(path);
        if (!fds)
            return;
        const int dirFd = ::dirfd(fds);
        while (const dirent *entry = ::readdir(fds)) {
            char link[64];
            const ssize_t length = ::readlinkat(dirFd, entry->d_name, link, sizeof link - 1);
            if (length <= 0)
                continue;
            link[length] = '\0';
            const uint64_t inode = socketInode(link, length);
            if (inode == 0 || !unknown.count(inode))
                continue;
            auto [owner, inserted] = m_owners.try_emplace(inode, pid);
            if (!inserted && pid < owner->second)
                owner->second = pid;
        }
        ::closedir(fds);
    }

    const uid_t m_euid = ::geteuid();
    bool m_useProc;
    size_t m_lastCount = 0;
    std::string m_buffer;
    std::unordered_map<uint64_t, int64_t> m_owners; ///< socket inode → pid
    std::unordered_set<uint64_t> m_unresolved; ///< looked up once, owner not visible
    uint64_t m_scans = 0;
};

} // namespace

std::unique_ptr<ListenerTable> makeListenerTable()
{
    return std::make_unique<LinuxListenerTable>(false);
}

std::unique_ptr<ListenerTable> makeProcListenerTable()
{
    return std::make_unique<LinuxListenerTable>(true);
}

std::string executablePath(int64_t pid)
{
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%lld/exe", static_cast<long long>(pid));
    char target[4096];
    const ssize_t length = ::readlink(path, target, sizeof target - 1);
    return length > 0 ? std::string(target, size_t(length)) : std::string();
}

int64_t currentProcessId()
{
    return ::getpid();
}

int64_t currentUserId()
{
    return ::geteuid();
}

} // namespace portico::provider::ports
