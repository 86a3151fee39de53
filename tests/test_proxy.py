"""The reverse proxy of ``deploy/nginx.conf`` in front of a real server: framing
headers, private metrics, websockets, and a limit on uploads per client.

nginx runs from the test's own folder on a loopback port, with the committed
file included as Debian includes ``conf.d`` (only the two addresses are
changed). Skipped where nginx is not installed, except in CI, where it fails.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import re
import shutil
import socket
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import PROJECT_DIR, free_port, stop_process, wait_until

CONFIG = PROJECT_DIR / "deploy" / "nginx.conf"
NGINX_START_TIMEOUT_S = 20


def _nginx() -> str:
    found = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail("nginx is not installed; CI installs it (see .ci/run)")
    pytest.skip("nginx is not installed (Debian: apt-get install nginx-light)")


def proxy_config(upstream_port: int, listen_port: int) -> str:
    """The committed configuration with its upstream and listening addresses
    moved to the test's ports; fails if either is not found exactly once."""
    text = CONFIG.read_text(encoding="utf-8")
    for old, new in (
        ("server 127.0.0.1:8501;", f"server 127.0.0.1:{upstream_port};"),
        ("listen 80;", f"listen 127.0.0.1:{listen_port};"),
    ):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


@contextlib.contextmanager
def run_nginx(folder: Path, upstream_port: int) -> Iterator[str]:
    """nginx with ``deploy/nginx.conf`` in front of ``upstream_port``; yields its
    base URL. Everything it writes stays in ``folder``."""
    binary = _nginx()
    port = free_port()
    for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (folder / name).mkdir(exist_ok=True)
    (folder / "imu-geo.conf").write_text(proxy_config(upstream_port, port))
    # As root, nginx's workers would switch to an unprivileged user that cannot
    # write into the test's folder.
    user = f"user {getpass.getuser()};\n" if os.geteuid() == 0 else ""
    temp_paths = "".join(
        f"    {kind}_temp_path {folder / name};\n"
        for kind, name in (
            ("client_body", "body"),
            ("proxy", "proxy"),
            ("fastcgi", "fastcgi"),
            ("uwsgi", "uwsgi"),
            ("scgi", "scgi"),
        )
    )
    (folder / "nginx.conf").write_text(
        f"{user}worker_processes 1;\n"
        f"pid {folder / 'nginx.pid'};\n"
        f"error_log {folder / 'error.log'};\n"
        "events { worker_connections 256; }\n"
        "http {\n"
        f"    access_log {folder / 'access.log'};\n"
        f"{temp_paths}"
        f"    include {folder / 'imu-geo.conf'};\n"
        "}\n"
    )
    command = [
        binary,
        "-p",
        str(folder),
        "-c",
        str(folder / "nginx.conf"),
        "-e",
        str(folder / "error.log"),
        "-g",
        "daemon off;",
    ]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_until(
            lambda: _listening(port),
            process,
            "nginx",
            NGINX_START_TIMEOUT_S,
            folder / "error.log",
        )
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_process(process)


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def proxied(tmp_path_factory, start_server) -> Iterator[tuple[str, str]]:
    """(the proxy's URL, the server's own URL)."""
    with start_server() as direct:
        upstream = int(direct.rsplit(":", 1)[1])
        with run_nginx(tmp_path_factory.mktemp("nginx"), upstream) as url:
            yield url, direct


def _request(url: str, method: str = "GET", data: bytes | None = None):
    request = urllib.request.Request(url, method=method, data=data)
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return reply.status, dict(reply.headers), reply.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.mark.parametrize(
    "path", ["/", "/_stcore/health", "/app/static/basemap.geojson", "/no-such-page"]
)
def test_every_answer_forbids_framing(proxied, path):
    proxy, _ = proxied
    status, headers, _ = _request(proxy + path)
    assert status in (200, 404)
    assert headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_the_page_and_health_check_pass_through(proxied):
    proxy, _ = proxied
    status, _, body = _request(proxy + "/_stcore/health")
    assert (status, body.strip()) == (200, b"ok")
    status, _, body = _request(proxy + "/")
    assert status == 200 and b"<noscript>" in body


@pytest.mark.parametrize(
    "path",
    [
        "/_stcore/metrics",
        "/_stcore/metrics?format=text",
        "/_stcore//metrics",
        "/_stcore/%6Detrics",
        "/_stcore/metrics/",
    ],
)
def test_metrics_are_not_reachable_through_the_proxy(proxied, path):
    proxy, direct = proxied
    # The server itself has them: the proxy is what keeps them private.
    assert _request(direct + "/_stcore/metrics")[0] == 200
    status, _, body = _request(proxy + path)
    assert status == 404
    assert b"session" not in body and b"# TYPE" not in body


def test_upload_requests_are_limited_per_client(proxied):
    proxy, _ = proxied
    statuses = [
        _request(proxy + f"/_stcore/upload_file/s/f{n}", "PUT", b"x")[0]
        for n in range(20)
    ]
    # 10 a minute with bursts of 5: the first 6 reach Streamlit (which refuses
    # them for want of a session and XSRF token), the rest are turned away.
    limited = statuses.count(429)
    assert 12 <= limited <= 14, statuses
    assert all(s != 429 for s in statuses[:5]), statuses
    # Other requests are not limited.
    assert {_request(proxy + "/_stcore/health")[0] for _ in range(20)} == {200}


def test_a_body_over_the_cap_is_refused_outside_uploads(proxied):
    proxy, _ = proxied
    status, _, _ = _request(proxy + "/", "POST", b"x" * (2 * 1024 * 1024))
    assert status == 413


@pytest.mark.browser
def test_the_page_works_through_the_proxy_and_cannot_be_framed(page, proxied, tmp_path):
    from playwright.sync_api import expect

    from tests.e2e.pages import caption, open_app

    proxy, direct = proxied
    socket_urls: list[str] = []
    page.on("websocket", lambda ws: socket_urls.append(ws.url))
    open_app(page, proxy + "/?start=1999-01-01&end=2004-12-31")
    expect(caption(page)).to_have_text(
        "30 events — 11 attacks, 5 bases, 14 context — from Jan 1999 to Dec 2004"
    )
    assert socket_urls and all(
        u.startswith(proxy.replace("http", "ws")) for u in socket_urls
    )
    expect(
        page.locator('[data-testid="stDeckGlJsonChart"] canvas').first
    ).to_be_visible(timeout=30_000)
    # A step goes over the websocket and comes back.
    end_handle = page.get_by_role("slider").nth(1)
    end_handle.focus()
    end_handle.press("ArrowRight")
    expect(caption(page)).to_have_text(re.compile(r"to Jan 2005$"), timeout=20_000)
    # An upload goes through the proxy (Streamlit's XSRF check included).
    sample = tmp_path / "one-event.csv"
    sample.write_text(
        "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,"
        "sub_event_type,actor1,actor2,country,admin1,location,latitude,longitude,"
        "geo_precision,source,notes,fatalities\n"
        "AFG1,2018-03-15,2018,1,Political violence,Battles,Armed clash,Taliban,"
        "Police Forces,Afghanistan,Kunduz,Kunduz,36.7286,68.8681,1,Pajhwok,"
        "Clash,1\n",
        encoding="utf-8",
    )
    page.get_by_text("Your data").click()
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        str(sample)
    )
    expect(
        page.get_by_text("Showing your file one-event.csv", exact=False)
    ).to_be_visible(timeout=30_000)
    # Another site cannot frame the page through the proxy; straight from
    # Streamlit it can (which shows that the check below can see a framed page).
    framing = page.context.new_page()
    for url, framed in ((direct, True), (proxy, False)):
        framing.set_content(f'<iframe src="{url}/" width="600" height="400"></iframe>')
        framing.wait_for_timeout(3000)
        (child,) = framing.frames[1:]
        assert ("<noscript>" in child.content()) is framed, url
    framing.close()
