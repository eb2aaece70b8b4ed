// A TLS backend for Portico's https-upstream tests (Node's own http2/https modules).
// usage: node tls_backend.js --cert C --key K --mode h2|http1|noalpn [--port N] [--ca CA]
//   h2:     ALPN h2 and http/1.1 (allowHTTP1), the server prefers h2
//   http1:  ALPN http/1.1 only
//   noalpn: no ALPN extension at all (old servers)
//   --ca:   require a client certificate issued by CA (mutual TLS)
// Prints "PORT <n>" once listening on 127.0.0.1. Every answer is one line:
//   proto=<HTTP version> scheme=<:scheme or -> method=<M> path=<P> host=<authority> body=<bytes>
//   upgrade=<Upgrade header or -> conns=<TLS connections accepted so far>
//   sni=<server name the client sent or -> client=<client certificate CN or ->
'use strict';
const fs = require('fs');
const http2 = require('http2');
const https = require('https');

const args = {};
for (let i = 2; i + 1 < process.argv.length; i += 2)
    args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
const tls = { cert: fs.readFileSync(args.cert), key: fs.readFileSync(args.key) };
if (args.ca)
    Object.assign(tls, { ca: fs.readFileSync(args.ca), requestCert: true, rejectUnauthorized: true });
let connections = 0;

function handler(req, res) {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
        const body = Buffer.concat(chunks);
        const socket = req.stream ? req.stream.session.socket : req.socket;
        const peer = socket.getPeerCertificate ? socket.getPeerCertificate() : null;
        const client = peer && peer.subject ? peer.subject.CN : '-';
        const line = `proto=${req.httpVersion} scheme=${req.headers[':scheme'] || '-'} `
            + `method=${req.method} path=${req.url} `
            + `host=${req.headers[':authority'] || req.headers.host} body=${body.length} `
            + `upgrade=${req.headers.upgrade || '-'} `
            + `conns=${connections} sni=${socket.servername || '-'} client=${client}\n`;
        res.setHeader('content-type', 'text/plain');
        res.end(line);
    });
}

let server;
if (args.mode === 'h2')
    server = http2.createSecureServer({ ...tls, allowHTTP1: true }, handler);
else if (args.mode === 'http1')
    server = https.createServer({ ...tls, ALPNProtocols: ['http/1.1'] }, handler);
else
    server = https.createServer(tls, handler);
server.on('secureConnection', () => ++connections);
server.listen(Number(args.port || 0), '127.0.0.1', () => console.log('PORT ' + server.address().port));
