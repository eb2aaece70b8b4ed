#include "core/provider/ports/sock_diag_linux.h"

#include <arpa/inet.h>
#include <cstring>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace portico::provider::ports {
namespace {

/// Closes the netlink socket on every return path.
struct Fd
{
    int fd;
    ~Fd()
    {
        if (fd >= 0)
            ::close(fd);
    }
};

bool sendDumpRequest(int fd, int family)
{
    struct
    {
        nlmsghdr header;
        inet_diag_req_v2 request;
    } message {};
    message.header.nlmsg_len = sizeof message;
    message.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    message.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    message.request.sdiag_family = uint8_t(family);
    message.request.sdiag_protocol = IPPROTO_TCP;
    message.request.idiag_states = 1u << TCP_LISTEN;
    sockaddr_nl kernel {};
    kernel.nl_family = AF_NETLINK;
    return ::sendto(fd, &message, sizeof message, 0, reinterpret_cast<sockaddr *>(&kernel),
               sizeof kernel)
        == ssize_t(sizeof message);
}

Listener toListener(const inet_diag_msg &message)
{
    Listener listener;
    listener.ipv6 = message.idiag_family == AF_INET6;
    char text[INET6_ADDRSTRLEN] = {};
    ::inet_ntop(message.idiag_family, message.id.idiag_src, text, sizeof text);
    listener.address = text;
    listener.port = ntohs(message.id.idiag_sport);
    listener.uid = message.idiag_uid;
    listener.inode = message.idiag_inode;
    return listener;
}

/// Reads the multi-part dump until NLMSG_DONE; false on a netlink error.
bool receiveDump(int fd, std::vector<Listener> &out)
{
    alignas(nlmsghdr) char buffer[32768];
    for (;;) {
        const ssize_t length = ::recv(fd, buffer, sizeof buffer, 0);
        if (length <= 0)
            return false;
        auto *header = reinterpret_cast<nlmsghdr *>(buffer);
        for (int left = int(length); NLMSG_OK(header, left); header = NLMSG_NEXT(header, left)) {
            if (header->nlmsg_type == NLMSG_DONE)
                return true;
            if (header->nlmsg_type == NLMSG_ERROR)
                return false;
            const auto *message = static_cast<const inet_diag_msg *>(NLMSG_DATA(header));
            out.push_back(toListener(*message));
        }
    }
}

} // namespace

bool readSockDiag(int family, std::vector<Listener> &out)
{
    Fd netlink { ::socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG) };
    if (netlink.fd < 0 || !sendDumpRequest(netlink.fd, family))
        return false;
    const size_t before = out.size();
    if (receiveDump(netlink.fd, out))
        return true;
    out.resize(before);
    return false;
}

} // namespace portico::provider::ports
