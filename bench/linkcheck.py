"""Benchmark: the link checker's throughput (zwgk/monitoring/fetching.py) against local servers.

Usage: python bench/linkcheck.py [--urls 5000] [--hosts 10] [--per-host 8]
A separate process serves `--hosts` ports (one "host" each: the per-host limit applies per port) with a minimal
asyncio HTTP/1.1 keep-alive server; some URLs answer 404, some 304 to a conditional request. Prints URLs/s of
the checker with its real settings (robots.txt fetched per host, GET without reading the body). Not a test.
"""

import argparse
import asyncio
import multiprocessing
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from zwgk.monitoring.fetching import Check, check_all  # noqa: E402


def serve(ports, ready):
    async def handle(reader, writer):
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                line = head.split(b"\r\n", 1)[0]
                path = line.split(b" ")[1]
                if path.startswith(b"/dead"):
                    status, body = b"404 Not Found", b"gone"
                elif b"if-none-match" in head.lower():
                    status, body = b"304 Not Modified", b""
                elif path == b"/robots.txt":
                    status, body = b"404 Not Found", b""
                else:
                    status, body = b"200 OK", b"<html><body>ok</body></html>"
                writer.write(
                    b"HTTP/1.1 "
                    + status
                    + b'\r\nContent-Type: text/html\r\nETag: "v1"\r\nContent-Length: '
                    + str(len(body)).encode()
                    + b"\r\n\r\n"
                    + body
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionResetError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()

    async def main():
        servers = [await asyncio.start_server(handle, "127.0.0.1", port, backlog=1024) for port in ports]
        ready.set()
        await asyncio.gather(*(s.serve_forever() for s in servers))

    asyncio.run(main())


def free_ports(n):
    import socket

    sockets = [socket.socket() for _ in range(n)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--urls", type=int, default=5000)
    parser.add_argument("--hosts", type=int, default=10)
    parser.add_argument("--per-host", type=int, default=8)
    parser.add_argument("--concurrency", type=int, default=100)
    args = parser.parse_args()
    ports = free_ports(args.hosts)
    ready = multiprocessing.Event()
    server = multiprocessing.Process(target=serve, args=(ports, ready), daemon=True)
    server.start()
    ready.wait(10)
    checks = []
    for n in range(args.urls):
        port = ports[n % len(ports)]
        path = f"/dead/{n}" if n % 20 == 0 else f"/page/{n}"
        checks.append(Check(n, f"http://127.0.0.1:{port}{path}", etag='"v1"' if n % 5 == 0 else ""))
    started = time.perf_counter()
    results = asyncio.run(check_all(checks, concurrency=args.concurrency, per_host=args.per_host, timeout=15))
    elapsed = time.perf_counter() - started
    dead = sum(1 for r in results if r.ok is False)
    revalidated = sum(1 for r in results if r.not_modified)
    print(
        f"link checker: {len(results)} URLs on {args.hosts} hosts (≤ {args.per_host} per host) in {elapsed:.2f} s"
    )
    print(f"  {len(results) / elapsed:.0f} URLs/s; dead {dead}, answered 304 {revalidated}")
    server.terminate()


if __name__ == "__main__":
    main()
