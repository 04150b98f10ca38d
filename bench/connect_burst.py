#!/usr/bin/env python3
"""Opens N connections to 127.0.0.1:PORT at once and sends GET PATH on each
as soon as it is connected; prints percentiles of the time from that send to
the end of the response headers. The kernel completes a connect before the
server accepts it, so this is what a client's first request waits while the
server's listen backlog drains (docs/benchmarks.md, Server).

  python3 bench/connect_burst.py PORT [N=1000] [PATH=/healthz]

One Python thread drives every connection: against an idle server the
figures show the client's own floor."""
import asyncio
import sys
import time


async def first_request(port, path, latencies):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    sent = time.perf_counter()
    writer.write(f"GET {path} HTTP/1.1\r\nHost: bench\r\n\r\n".encode())
    await writer.drain()
    await reader.readuntil(b"\r\n\r\n")
    latencies.append(time.perf_counter() - sent)
    writer.close()


async def main():
    port = int(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    path = sys.argv[3] if len(sys.argv) > 3 else "/healthz"
    latencies = []
    results = await asyncio.gather(*(first_request(port, path, latencies) for _ in range(n)), return_exceptions=True)
    failed = sum(isinstance(r, Exception) for r in results)
    latencies.sort()
    if not latencies:
        sys.exit(f"no answer from 127.0.0.1:{port} ({failed} failed)")
    ms = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000
    print(f"{len(latencies)} answered, {failed} failed: p50 {ms(0.5):.1f} ms, p90 {ms(0.9):.1f} ms, "
          f"p99 {ms(0.99):.1f} ms, max {latencies[-1] * 1000:.1f} ms")


asyncio.run(main())
