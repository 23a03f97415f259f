"""Portal throughput: gunicorn (DEBUG off) uncached and cached, against nginx serving a static copy.

    .venv/bin/python bench/portal.py --var-dir /tmp/var-perf --items 450000

Build the data first (`ZWGK_VAR_DIR=… zwgk demo --reset --articles 450000`). Pages: home, a column
list, a detail page and the policy library with a filter. Load: wrk at 32 connections when installed
(`apt-get install wrk nginx`), else a bounded Python keep-alive load generator. Modes: uncached
(page cache off), cached (gunicorn with the page cache), static (nginx in front of gunicorn serving
the pages Django published as static HTML, docs/nginx-static.conf), nginx (a saved copy of the same page as a static file). Prints req/s, p50/p99 and
the ratio to nginx. Figures only; nothing is asserted.
"""

import argparse
import http.client
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def wait_for(port, path="/", timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"server on port {port} did not come up")


def fetch(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path)
    response = conn.getresponse()
    return response.status, response.read(), dict(response.getheaders())


def _ms(value, unit):
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def load_wrk(port, path, seconds, connections):
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", f"http://127.0.0.1:{port}{path}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _ms(*re.search(r"50%\s+([\d.]+)(us|ms|s)", out).groups())
    p99 = _ms(*re.search(r"99%\s+([\d.]+)(us|ms|s)", out).groups())
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rate, p50, p99, int(errors.group(1)) if errors else 0


def load_python(port, path, seconds, connections):
    """Threads with keep-alive connections (the GIL makes this a floor, not wrk's figure)."""
    latencies, errors, stop = [], [0], time.monotonic() + seconds

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < stop:
            started = time.perf_counter()
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            latencies.append((time.perf_counter() - started) * 1000)
            if response.status != 200:
                errors[0] += 1

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    q = statistics.quantiles(latencies, n=100)
    return len(latencies) / seconds, q[49], q[98], errors[0]


def gunicorn(port, env, workers):
    return subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "zwgk.wsgi",
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )


def stop(process):
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


# Port `port`: nginx serving saved copies (the reference). Port `front_port`: nginx in front of
# gunicorn with static-HTML publishing, as in docs/nginx-static.conf.
NGINX_CONF = """daemon off; worker_processes {workers}; pid {dir}/nginx.pid; error_log {dir}/error.log;
events {{ worker_connections 1024; }}
http {{ access_log off; sendfile on; keepalive_requests 100000;
  types {{ text/html html; }}
  upstream zwgk {{ server 127.0.0.1:{upstream}; keepalive 32; }}
  map "$request_method:$args:$cookie_sessionid" $zwgk_static {{ default "";
    "~^(GET|HEAD)::$" "index"; "~^(GET|HEAD):(?<zwgk_query>[a-z0-9=&_-]+):$" "index.q-$zwgk_query"; }}
  server {{ listen 127.0.0.1:{port}; root {dir}/html; location / {{ try_files $uri =404; }} }}
  server {{ listen 127.0.0.1:{front_port};
    location / {{ error_page 418 = @django; if ($zwgk_static = "") {{ return 418; }}
      root {published}/current/$host; default_type text/html; try_files $uri/$zwgk_static.html @django; }}
    location @django {{ proxy_pass http://zwgk; proxy_http_version 1.1; proxy_set_header Connection "";
      proxy_set_header Host $host; }} }} }}
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--var-dir", default=os.environ.get("ZWGK_VAR_DIR", str(ROOT / "var")))
    parser.add_argument("--items", type=int, default=40000, help="articles expected in the database")
    parser.add_argument("--port", type=int, default=8110)
    parser.add_argument("--nginx-port", type=int, default=8111)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()

    env = dict(
        os.environ,
        ZWGK_VAR_DIR=args.var_dir,
        ZWGK_DEBUG="0",
        ZWGK_SECRET_KEY=os.environ.get("ZWGK_SECRET_KEY", "bench-only-not-secret"),
        ZWGK_ALLOWED_HOSTS="127.0.0.1,localhost",
    )
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zwgk.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from zwgk.disclosure.models import ArticlePage

    found = ArticlePage.objects.live().count()
    detail = (
        ArticlePage.objects.live().order_by("-first_published_at").values_list("url_path", flat=True)[1000]
    )
    detail = "/" + detail.split("/", 2)[2]  # url_path starts with the home page's slug
    pages = {
        "home": "/",
        "column": "/ywdt/",
        "detail": detail,
        "library": "/zcwjk/?kind=normative&validity=valid",
    }
    load = load_wrk if shutil.which("wrk") else load_python
    print(
        f"zwgk portal bench: {found} live articles (expected {args.items}), {args.workers} gunicorn workers, "
        f"{args.connections} connections, {args.seconds}s per run, load by {load.__name__[5:]}"
    )
    results = {}
    server = gunicorn(args.port, dict(env, ZWGK_PAGE_CACHE_SECONDS="0"), args.workers)
    try:
        wait_for(args.port)
        for name, path in pages.items():
            status, body, _ = fetch(args.port, path)
            assert status == 200, (name, path, status)
            results["uncached", name] = load(args.port, path, args.seconds, args.connections)
    finally:
        stop(server)

    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    with tempfile.TemporaryDirectory(prefix="zwgk-bench-") as tmp:
        os.chmod(tmp, 0o755)  # nginx workers run as an unprivileged user
        static_dir = Path(tmp) / "published"
        cached_env = dict(env, ZWGK_PAGE_CACHE_SECONDS="600", ZWGK_STATIC_HTML_DIR=str(static_dir))
        server = gunicorn(args.port, cached_env, args.workers)
        front = None
        try:
            wait_for(args.port)
            for name, path in pages.items():
                # Fill the cache of every worker (local memory is per process).
                hits = [fetch(args.port, path) for _ in range(4 * args.workers)]
                status, body, headers = hits[-1]
                assert status == 200 and any(h.get("X-Cache") == "HIT" for _, _, h in hits), name
                results["body", name] = body
                results["cached", name] = load(args.port, path, args.seconds, args.connections)
            if os.path.exists(nginx):
                (Path(tmp) / "html").mkdir()
                for name in pages:
                    (Path(tmp) / "html" / f"{name}.html").write_bytes(results["body", name])
                conf = Path(tmp) / "nginx.conf"
                conf.write_text(
                    NGINX_CONF.format(
                        workers=args.workers,
                        dir=tmp,
                        port=args.nginx_port,
                        front_port=args.nginx_port + 1,
                        upstream=args.port,
                        published=static_dir,
                    )
                )
                front = subprocess.Popen([nginx, "-c", str(conf), "-p", tmp], start_new_session=True)
                wait_for(args.nginx_port, "/home.html")
                for name, path in pages.items():
                    results["nginx", name] = load(
                        args.nginx_port, f"/{name}.html", args.seconds, args.connections
                    )
                    fetch(args.nginx_port + 1, path)  # a miss publishes the page
                    status, body, _ = fetch(args.nginx_port + 1, path)
                    assert status == 200, (name, status)
                    results["static", name] = load(args.nginx_port + 1, path, args.seconds, args.connections)
        finally:
            if front:
                stop(front)
            stop(server)

    print(f"{'page':<8} {'mode':<9} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'non-200':>8} {'vs nginx':>9}")
    for name, path in pages.items():
        for mode in ("uncached", "cached", "static", "nginx"):
            if (mode, name) not in results:
                continue
            rate, p50, p99, errors = results[mode, name]
            ratio = ""
            if ("nginx", name) in results:
                ratio = f"{rate / results['nginx', name][0]:.0%}"
            print(f"{name:<8} {mode:<9} {rate:>9.0f} {p50:>8.1f} {p99:>8.1f} {errors:>8} {ratio:>9}")
        print(f"         {path} ({len(results['body', name]):,} bytes)")


if __name__ == "__main__":
    main()
