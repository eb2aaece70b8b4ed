#!/usr/bin/env python3
"""A gRPC server for Portico's gRPC tests (Debian's python3-grpcio), without protoc: methods of
the service portico.test.Echo take and return raw bytes (generic handlers, identity serialisers).

Prints "PORT <n>" once listening on 127.0.0.1 (port 0 by default), then serves until killed.
With --cert/--key it serves TLS (gRPC's ALPN h2) instead of h2c.
"""
import argparse
import sys
import time
from concurrent import futures

import grpc

SERVICE = "portico.test.Echo"
CHUNK = 64 * 1024


def pattern(offset, size):
    """The generated body bytes: 'a' + offset % 23, like the C++ tests."""
    return bytes(97 + (offset + i) % 23 for i in range(size))


def echo(request, context):
    context.send_initial_metadata((("x-initial", "hello"),))
    sent = dict(context.invocation_metadata())
    context.set_trailing_metadata((("x-trailer", "t1"), ("x-meta-seen", sent.get("x-meta", ""))))
    return b"echo:" + request


def fail(request, context):
    context.set_trailing_metadata((("x-reason", "because"),))
    context.abort(grpc.StatusCode.INVALID_ARGUMENT, "bad request: " + request.decode())


def slow(request, context):
    seconds = float(request.decode() or "2")
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and context.is_active():
        time.sleep(0.02)
    return b"late"


def download(request, context):
    """Streams `request` (decimal) bytes in 64 KiB messages."""
    total = int(request.decode())
    offset = 0
    block = pattern(0, CHUNK + 23)
    while offset < total:
        n = min(CHUNK, total - offset)
        start = offset % 23
        yield block[start:start + n]
        offset += n
    context.set_trailing_metadata((("x-sent", str(total)),))


def upload(request_iterator, context):
    count = 0
    size = 0
    for message in request_iterator:
        count += 1
        size += len(message)
    return ("%d %d" % (count, size)).encode()


def chat(request_iterator, context):
    for message in request_iterator:
        yield b"re:" + message


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--cert", help="serve TLS (ALPN h2) with this PEM certificate")
    parser.add_argument("--key", help="the certificate's PEM private key")
    args = parser.parse_args()
    identity = dict(request_deserializer=None, response_serializer=None)
    handlers = {
        "Echo": grpc.unary_unary_rpc_method_handler(echo, **identity),
        "Fail": grpc.unary_unary_rpc_method_handler(fail, **identity),
        "Slow": grpc.unary_unary_rpc_method_handler(slow, **identity),
        "Download": grpc.unary_stream_rpc_method_handler(download, **identity),
        "Upload": grpc.stream_unary_rpc_method_handler(upload, **identity),
        "Chat": grpc.stream_stream_rpc_method_handler(chat, **identity),
    }
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=16))
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(SERVICE, handlers),))
    if args.cert:
        with open(args.key, "rb") as key, open(args.cert, "rb") as cert:
            credentials = grpc.ssl_server_credentials(((key.read(), cert.read()),))
        port = server.add_secure_port("127.0.0.1:%d" % args.port, credentials)
    else:
        port = server.add_insecure_port("127.0.0.1:%d" % args.port)
    server.start()
    print("PORT %d" % port, flush=True)
    try:
        server.wait_for_termination()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
