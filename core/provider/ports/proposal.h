#pragma once

#include <QString>
#include <QStringList>

namespace portico::provider::ports {

/// A dev server found listening: what it is and the name it would be (or is) published under.
struct Proposal
{
    QString id; ///< `<port>-<pid>`: stable while the process listens on the port
    quint16 port = 0;
    QStringList addresses; ///< bound addresses: `127.0.0.1`, `::1`, `0.0.0.0`, `::`
    qint64 pid = -1;
    QString executable;
    QString commandLine;
    QString workingDirectory;
    QString kind; ///< `vite`, `django`, `node`, …; empty when not recognised
    QString title; ///< `<title>` of its `/` page
    QString projectRoot;
    QString proposedName; ///< DNS label, unique among current proposals: `shop`, `shop-2`
    QString url; ///< the upstream URL a route uses: `http://127.0.0.1:5173`, `http://[::1]:3000`
    bool published = false;

    friend bool operator==(const Proposal &, const Proposal &) = default;
};

} // namespace portico::provider::ports
