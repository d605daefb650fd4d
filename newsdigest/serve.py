"""`build.py serve`: build in memory, serve under the base path, rebuild on change, reload open pages.

Nothing is written to site/. Pages are served from the last good build; a reload script, injected
into HTML responses here only (never into a build), listens to server-sent events: `reload` after a
good rebuild, `build-error` (with the messages) after a bad one, shown over the last good page.
"""

from __future__ import annotations

import http.server
import mimetypes
import sys
import threading
import time
from urllib.parse import unquote, urlsplit

from . import config as config_module
from . import pipeline

EVENTS = "__reload"
KEEPALIVE = 15  # seconds between comments that keep an idle event stream open

RELOAD_SCRIPT = """<script>(() => {
  const stream = new EventSource(%(url)s);
  stream.addEventListener("reload", () => location.reload());
  stream.addEventListener("build-error", (event) => {
    let box = document.getElementById("newsdigest-error");
    if (!box) {
      box = document.createElement("pre");
      box.id = "newsdigest-error";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;left:0;right:0;bottom:0;max-height:60vh;overflow:auto;margin:0;" +
        "padding:1em;background:#5c0011;color:#fff;font:14px/1.5 monospace;white-space:pre-wrap;z-index:2147483647";
      document.body.append(box);
    }
    box.textContent = event.data;
  });
})();</script>"""


class DevSite:
    """The last good build in memory, the current error, and a generation counter to wait on."""

    def __init__(self, options: pipeline.Options, quiet: bool = False):
        self.options = options
        self.quiet = quiet
        self.files: dict[str, bytes] = {}
        self.error = ""
        self.generation = 0
        self.changed = threading.Condition()

    def rebuild(self) -> None:
        started = time.perf_counter()
        try:
            files, result = pipeline.build_files(self.options)
            error = ""
            for diagnostic in result.diagnostics:
                if not self.quiet:
                    print(diagnostic.format(), file=sys.stderr)
        except pipeline.BuildFailed as exc:
            files, error = None, "\n".join(d.format() for d in exc.diagnostics)
        except Exception as exc:  # keep serving the last good site whatever happened
            files, error = None, f"internal error: {type(exc).__name__}: {exc}"
        with self.changed:
            if files is not None:
                self.files = files
            self.error = error
            self.generation += 1
            self.changed.notify_all()
        if files is None:
            print(f"{error}\nbuild failed: still serving the last good site", file=sys.stderr)
        elif not self.quiet:
            print(f"built {len(files)} file(s) in {time.perf_counter() - started:.2f} s", file=sys.stderr)

    def wait(self, since: int, timeout: float) -> int:
        with self.changed:
            self.changed.wait_for(lambda: self.generation != since, timeout)
            return self.generation


class DevHandler(http.server.BaseHTTPRequestHandler):
    """Serves the DevSite's last good build under the base path, and the event stream of its rebuilds.
    handler_for() makes the subclass for one site."""

    protocol_version = "HTTP/1.1"
    site: DevSite
    base_path: str

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        path = unquote(urlsplit(self.path).path)
        if not path.startswith(self.base_path):
            return self.redirect(self.base_path)
        rel = path[len(self.base_path) :]
        if rel == EVENTS:
            return self.events(urlsplit(self.path).query)
        files = self.site.files
        name = rel + "index.html" if rel == "" or rel.endswith("/") else rel
        if name not in files and rel + "/index.html" in files:
            return self.redirect(path + "/")
        if name in files:
            self.send_file(200, name, files[name])
        else:
            self.send_file(404, "404.html", files.get("404.html", b"not found"))

    def send_file(self, status: int, name: str, body: bytes) -> None:
        """A file of the build, with the reload script in an HTML page."""
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if kind == "text/html":
            script = RELOAD_SCRIPT % {"url": repr(f"{self.base_path}{EVENTS}?since={self.site.generation}")}
            body = body.replace(b"</body>", script.encode() + b"</body>", 1)
        if kind.startswith("text/") or kind in ("application/json", "application/javascript", "application/xml"):
            kind += "; charset=utf-8"
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, location: str) -> None:
        self.send_response(301)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def events(self, query: str) -> None:
        """Server-sent events: `reload` or `build-error` after each rebuild, keep-alive comments between."""
        site = self.site
        since = int(query.rpartition("since=")[2] or -1) if "since=" in query else site.generation
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.close_connection = True
        try:
            while True:
                if site.generation != since:
                    since = site.generation
                    if site.error:
                        data = "\n".join(f"data: {line}" for line in site.error.splitlines())
                        self.wfile.write(f"event: build-error\n{data}\n\n".encode())
                    else:
                        self.wfile.write(b"event: reload\ndata: \n\n")
                else:
                    self.wfile.write(b": keep-alive\n\n")
                self.wfile.flush()
                site.wait(since, KEEPALIVE)
        except (BrokenPipeError, ConnectionResetError):
            return


def handler_for(site: DevSite, base_path: str) -> type[DevHandler]:
    """The request handler class serving `site` under `base_path`."""

    class Handler(DevHandler):
        pass

    Handler.site, Handler.base_path = site, base_path
    return Handler


def watch(site: DevSite, stop: threading.Event) -> None:
    import watchfiles

    options = site.options
    paths = [p for p in (options.content, options.theme, options.config) if p.exists()]
    for _ in watchfiles.watch(*paths, stop_event=stop, debounce=100, step=50, raise_interrupt=False):
        site.rebuild()


def run(options: pipeline.Options, host: str, port: int, quiet: bool = False) -> int:
    try:
        base_path = config_module.load(options.config, {"base_url": options.base_url})[0].base_path
    except config_module.ConfigError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    site = DevSite(options, quiet)
    site.rebuild()
    try:
        server = http.server.ThreadingHTTPServer((host, port), handler_for(site, base_path))
    except OSError as exc:  # the port is taken, or the address is not this machine's
        print(f"error: cannot serve on {host}:{port}: {exc.strerror or exc}", file=sys.stderr)
        print(
            "  hint: another program (another `serve`?) may use that port: pass --port 8001, or stop it",
            file=sys.stderr,
        )
        return 1
    server.daemon_threads = True
    stop = threading.Event()
    watcher = threading.Thread(target=watch, args=(site, stop), daemon=True)
    watcher.start()
    print(f"serving http://{host}:{server.server_address[1]}{base_path} (Ctrl-C to stop)", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.server_close()
    return 0
