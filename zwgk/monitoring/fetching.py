"""Concurrent HTTP checks with aiohttp (asyncio): per-host limits, robots.txt, conditional requests.

Pure async code with no database access, so the link checker (linkcheck.py), the prober and the benchmark
share it. aiohttp rather than LinkChecker: LinkChecker is a crawler with its own output formats and no API to
feed it a list of URLs and get results back per link; aiohttp is a maintained client whose connector limits
connections overall and per host and keeps them alive, and it measured about six times httpx's throughput on
this machine (docs/monitoring.md, bench/linkcheck.py).
"""

import asyncio
import time
import urllib.robotparser
from dataclasses import dataclass
from urllib.parse import urlsplit

import aiohttp

# Bodies up to this size are read so the connection is reused; a larger one (a PDF) is not downloaded.
KEEP_ALIVE_BODY = 256 * 1024
ERRORS = (aiohttp.ClientError, TimeoutError, ValueError, UnicodeError)


@dataclass
class Check:
    """One URL to check, with the validators of its last successful check."""

    key: object
    url: str
    etag: str = ""
    last_modified: str = ""


@dataclass
class Result:
    key: object
    url: str
    ok: bool | None  # None: robots.txt forbids checking it
    status_code: int | None = None
    error: str = ""
    etag: str = ""
    last_modified: str = ""
    not_modified: bool = False
    elapsed: float = 0.0


def host_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def session(*, concurrency: int, per_host: int, timeout: float, user_agent: str) -> aiohttp.ClientSession:
    connector = aiohttp.TCPConnector(limit=concurrency, limit_per_host=per_host, ttl_dns_cache=300)
    return aiohttp.ClientSession(
        connector=connector,
        timeout=aiohttp.ClientTimeout(total=timeout),
        headers={"User-Agent": user_agent},
    )


class RobotsCache:
    """robots.txt per host, fetched once per run (a missing or broken robots.txt allows everything)."""

    def __init__(self, user_agent: str):
        self.user_agent = user_agent
        self.parsers: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self.locks: dict[str, asyncio.Lock] = {}

    async def allowed(self, client: aiohttp.ClientSession, url: str) -> bool:
        host = host_of(url)
        if host not in self.parsers:
            lock = self.locks.setdefault(host, asyncio.Lock())
            async with lock:
                if host not in self.parsers:
                    self.parsers[host] = await self._fetch(client, host)
        parser = self.parsers[host]
        return parser is None or parser.can_fetch(self.user_agent, url)

    async def _fetch(self, client, host):
        try:
            async with client.get(f"{host}/robots.txt") as response:
                if response.status >= 400:
                    return None
                text = await response.text(errors="replace")
        except ERRORS:
            return None
        parser = urllib.robotparser.RobotFileParser()
        parser.parse(text.splitlines())
        return parser


async def check_all(
    checks: list[Check],
    *,
    concurrency: int = 100,
    per_host: int = 8,
    timeout: float = 15.0,
    user_agent: str = "zwgk-linkcheck/1.0",
    robots: RobotsCache | None = None,
    on_result=None,
) -> list[Result]:
    """Check every URL (GET; a 304 to the conditional request counts as ok), at most `per_host` at a time
    per host and `concurrency` overall."""
    robots = robots or RobotsCache(user_agent)
    results: list[Result] = []
    # A robots.txt lock per host is fresh per event loop (asyncio.run per chunk).
    robots.locks = {}
    async with session(
        concurrency=concurrency, per_host=per_host, timeout=timeout, user_agent=user_agent
    ) as client:

        async def one(check: Check) -> None:
            result = await _check(client, robots, check)
            results.append(result)
            if on_result:
                on_result(result)

        await asyncio.gather(*(one(c) for c in checks))
    return results


async def _check(client, robots, check: Check) -> Result:
    started = time.perf_counter()
    try:
        if not await robots.allowed(client, check.url):
            return Result(check.key, check.url, None, error="robots.txt 禁止检查")
        headers = {}
        if check.etag:
            headers["If-None-Match"] = check.etag
        if check.last_modified:
            headers["If-Modified-Since"] = check.last_modified
        async with client.get(check.url, headers=headers, allow_redirects=True) as response:
            code = response.status
            if (response.content_length or KEEP_ALIVE_BODY + 1) <= KEEP_ALIVE_BODY:
                await response.read()  # read to its end: the connection serves the next URL
            return Result(
                check.key,
                check.url,
                code < 400,
                status_code=code,
                error="" if code < 400 else f"HTTP {code}",
                etag=response.headers.get("ETag", check.etag if code == 304 else ""),
                last_modified=response.headers.get(
                    "Last-Modified", check.last_modified if code == 304 else ""
                ),
                not_modified=code == 304,
                elapsed=time.perf_counter() - started,
            )
    except TimeoutError:
        return Result(check.key, check.url, False, error="超时", elapsed=time.perf_counter() - started)
    except ERRORS as exc:  # connection refused, bad URL, TLS…
        return Result(check.key, check.url, False, error=f"{type(exc).__name__}: {exc}"[:300])


async def fetch_pages(urls: list[str], *, timeout: float, user_agent: str, concurrency: int = 20):
    """(url, status, text, seconds, error) for each URL, bodies read (the prober compares them)."""

    async def one(client, url):
        started = time.perf_counter()
        try:
            async with client.get(url, allow_redirects=True) as response:
                text = await response.text(errors="replace")
                return url, response.status, text, time.perf_counter() - started, ""
        except TimeoutError:
            return url, None, "", time.perf_counter() - started, f"超过{timeout:g}秒未打开"
        except ERRORS as exc:
            return url, None, "", time.perf_counter() - started, f"{type(exc).__name__}: {exc}"[:300]

    async with session(
        concurrency=concurrency, per_host=concurrency, timeout=timeout, user_agent=user_agent
    ) as client:
        return await asyncio.gather(*(one(client, u) for u in urls))
