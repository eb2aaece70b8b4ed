#!/usr/bin/env python3
"""gRPC client checks for Portico's gRPC tests: talks to the portico.test.Echo service (see
grpc_server.py) through the proxy, over h2c with prior knowledge or TLS with ALPN h2.

Usage: grpc_client.py --target 127.0.0.1:PORT --authority grpc.localhost [--ca ca.pem] CHECK...
Prints "ok CHECK" per passed check; on the first failure prints "FAIL CHECK: why" and exits 1.
"""
import argparse
import sys
import time
from concurrent import futures

import grpc

SERVICE = "/portico.test.Echo/"


def pattern_ok(data):
    return all(b == 97 + i % 23 for i, b in enumerate(data))


def expect(condition, message):
    if not condition:
        raise AssertionError(message)


def unary(channel):
    call = channel.unary_unary(SERVICE + "Echo")
    response, info = call.with_call(b"ping", metadata=(("x-meta", "m1"),), timeout=10)
    expect(response == b"echo:ping", "response %r" % response)
    expect(info.code() == grpc.StatusCode.OK, "status %s" % info.code())
    initial = dict(info.initial_metadata())
    trailing = dict(info.trailing_metadata())
    expect(initial.get("x-initial") == "hello", "initial metadata %r" % initial)
    expect(trailing.get("x-trailer") == "t1", "trailing metadata %r" % trailing)
    expect(trailing.get("x-meta-seen") == "m1", "request metadata lost: %r" % trailing)


def error(channel):
    call = channel.unary_unary(SERVICE + "Fail")
    try:
        call(b"x", timeout=10)
    except grpc.RpcError as e:
        expect(e.code() == grpc.StatusCode.INVALID_ARGUMENT, "code %s" % e.code())
        expect(e.details() == "bad request: x", "details %r" % e.details())
        trailing = dict(e.trailing_metadata())
        expect(trailing.get("x-reason") == "because", "trailing metadata %r" % trailing)
        return
    raise AssertionError("no error status")


def deadline(channel):
    call = channel.unary_unary(SERVICE + "Slow")
    started = time.monotonic()
    try:
        call(b"5", timeout=0.5)
    except grpc.RpcError as e:
        elapsed = time.monotonic() - started
        expect(e.code() == grpc.StatusCode.DEADLINE_EXCEEDED, "code %s" % e.code())
        expect(elapsed < 3, "deadline took %.1fs" % elapsed)
        return
    raise AssertionError("the deadline did not fire")


def server_stream(channel):
    total = 8 * 1024 * 1024
    call = channel.unary_stream(SERVICE + "Download")
    responses = call(str(total).encode(), timeout=60)
    received = bytearray()
    for i, message in enumerate(responses):
        received += message
        if i < 5:
            time.sleep(0.2)  # a slow reader first: the server must wait, nothing is lost
    expect(len(received) == total, "received %d of %d bytes" % (len(received), total))
    expect(pattern_ok(received), "corrupted stream")
    trailing = dict(responses.trailing_metadata())
    expect(trailing.get("x-sent") == str(total), "trailing metadata %r" % trailing)
    expect(responses.code() == grpc.StatusCode.OK, "status %s" % responses.code())


def client_stream(channel):
    call = channel.stream_unary(SERVICE + "Upload")
    response = call(iter([b"u" * 10000] * 100), timeout=30)
    expect(response == b"100 1000000", "response %r" % response)


def bidi(channel):
    call = channel.stream_stream(SERVICE + "Chat")
    messages = [("m%d" % i).encode() for i in range(50)]
    replies = list(call(iter(messages), timeout=30))
    expect(replies == [b"re:" + m for m in messages], "replies %r" % replies[:5])


def concurrent(channel):
    call = channel.unary_unary(SERVICE + "Echo")
    with futures.ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(lambda i: call(b"%d" % i, timeout=20), range(100)))
    expect(results == [b"echo:%d" % i for i in range(100)], "concurrent results differ")


CHECKS = {
    "unary": unary,
    "error": error,
    "deadline": deadline,
    "server_stream": server_stream,
    "client_stream": client_stream,
    "bidi": bidi,
    "concurrent": concurrent,
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--target", required=True)
    parser.add_argument("--authority", default="grpc.localhost")
    parser.add_argument("--ca", help="CA PEM: TLS with ALPN h2, else h2c prior knowledge")
    parser.add_argument("checks", nargs="+", choices=sorted(CHECKS))
    args = parser.parse_args()
    options = [("grpc.default_authority", args.authority)]
    if args.ca:
        with open(args.ca, "rb") as f:
            credentials = grpc.ssl_channel_credentials(root_certificates=f.read())
        options.append(("grpc.ssl_target_name_override", args.authority))
        channel = grpc.secure_channel(args.target, credentials, options=options)
    else:
        channel = grpc.insecure_channel(args.target, options=options)
    with channel:
        for name in args.checks:
            try:
                CHECKS[name](channel)
            except Exception as e:  # report every kind of failure the same way
                print("FAIL %s: %s: %s" % (name, type(e).__name__, e), flush=True)
                return 1
            print("ok %s" % name, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
