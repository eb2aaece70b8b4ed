#include "core/proxy/tcp_routing.h"

namespace portico::proxy {

namespace {

const TcpRoute *matchIn(const rules::RuleTable &rules, const std::vector<TcpRoute> &routes,
    const rules::RequestFacts &facts)
{
    const int id = rules.match(facts);
    return id < 0 ? nullptr : &routes[size_t(id)];
}

} // namespace

bool TcpRoute::admits(const QHostAddress &peer) const
{
    for (const auto &list : allowLists) {
        bool inList = false;
        for (const rules::IpNetwork &network : list)
            inList = inList || network.contains(peer);
        if (!inList)
            return false;
    }
    return true;
}

bool TcpEntryPointRoutes::decidesAtAccept() const
{
    return !plainRoutes.empty() && tlsRoutes.empty() && !hasHttpsRouters;
}

const TcpRoute *TcpEntryPointRoutes::matchSilent(const QHostAddress &peer) const
{
    rules::RequestFacts facts;
    facts.host = QByteArrayView("");
    facts.path = QByteArrayView("/");
    facts.clientIp = peer;
    return matchIn(plainRules, plainRoutes, facts);
}

bool TcpEntryPointRoutes::httpsClaims(const QByteArray &serverName) const
{
    QByteArray name = serverName;
    if (name.endsWith('.'))
        name.chop(1);
    if (name.isEmpty())
        return false;
    if (httpsHosts.count(name))
        return true;
    const qsizetype dot = name.indexOf('.');
    if (dot <= 0)
        return false;
    const QByteArray suffix = name.mid(dot);
    for (const QByteArray &wildcard : httpsWildcardSuffixes) {
        if (wildcard == suffix)
            return true;
    }
    return false;
}

TcpDecision TcpEntryPointRoutes::decide(
    const ClientHelloInfo &hello, const QHostAddress &peer) const
{
    using Status = ClientHelloInfo::Status;
    if (hello.status == Status::NeedMore)
        return { TcpDecision::Kind::Wait, nullptr };
    rules::RequestFacts facts;
    facts.host = hello.serverName;
    facts.path = QByteArrayView("/");
    facts.clientIp = peer;
    facts.alpn = &hello.alpn;
    if (hello.status == Status::Plain) {
        const TcpRoute *route = matchIn(plainRules, plainRoutes, facts);
        return route ? TcpDecision { TcpDecision::Kind::Route, route }
                     : TcpDecision { TcpDecision::Kind::Http, nullptr };
    }
    // An HTTPS router naming this host takes precedence over TCP routers; a catch-all HTTPS
    // router does not (Traefik keeps the 2.6 behaviour).
    if (httpsClaims(hello.serverName))
        return { TcpDecision::Kind::Http, nullptr };
    const TcpRoute *route = matchIn(tlsRules, tlsRoutes, facts);
    return route ? TcpDecision { TcpDecision::Kind::Route, route }
                 : TcpDecision { TcpDecision::Kind::Http, nullptr };
}

} // namespace portico::proxy
