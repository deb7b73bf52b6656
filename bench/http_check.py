#!/usr/bin/env python3
"""http_check.py — readiness wait and protocol sanity check for a plaintext
server under test (used by bench/run.sh before it is loaded with wrk).

usage: http_check.py --port P [--wait S]
Waits up to S seconds (default 10) for 127.0.0.1:P to accept, then on one
keep-alive connection checks that:
  1. a single GET gets one 200 response with body "Hello, World!";
  2. three GETs pipelined in one send get three responses;
  3. a GET whose "\\r\\n\\r\\n" is split across two sends gets one response.
Exit status 0 if all pass; prints the failure otherwise.
"""
import argparse
import socket
import sys
import time

REQ = b"GET / HTTP/1.1\r\nHost: localhost\r\nUser-Agent: http_check\r\n\r\n"
BODY = b"Hello, World!"


def read_responses(sock, want, timeout=3.0):
    sock.settimeout(timeout)
    data = b""
    deadline = time.monotonic() + timeout
    while data.count(BODY) < want and time.monotonic() < deadline:
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            break
        if not chunk:
            break
        data += chunk
    return data


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--wait", type=float, default=10.0)
    args = ap.parse_args()

    deadline = time.monotonic() + args.wait
    while True:
        try:
            sock = socket.create_connection(("127.0.0.1", args.port), timeout=1.0)
            break
        except OSError:
            if time.monotonic() > deadline:
                print(f"no listener on 127.0.0.1:{args.port} after {args.wait}s")
                return 1
            time.sleep(0.05)

    with sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.sendall(REQ)
        data = read_responses(sock, 1)
        if not data.startswith(b"HTTP/1.1 200") or data.count(BODY) != 1:
            print(f"single GET: unexpected reply {data[:200]!r}")
            return 1
        sock.sendall(REQ * 3)
        data = read_responses(sock, 3)
        if data.count(BODY) != 3 or data.count(b"HTTP/1.1 200") != 3:
            print(f"3 pipelined GETs: got {data.count(BODY)} bodies: {data[:300]!r}")
            return 1
        sock.sendall(REQ[:-1])
        time.sleep(0.05)
        sock.sendall(REQ[-1:])
        data = read_responses(sock, 1)
        if data.count(BODY) != 1:
            print(f"split GET: got {data.count(BODY)} bodies: {data[:200]!r}")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
