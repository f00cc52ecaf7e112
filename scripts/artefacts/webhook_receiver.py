#!/usr/bin/env python3
"""A test webhook receiver for Alertmanager, used by scripts/check-artefacts.sh.

Listens on 127.0.0.1:PORT and appends every POSTed JSON body (Alertmanager's webhook payload, version "4") as one
line to OUT. Standard library only.

Usage: webhook_receiver.py PORT OUT
"""
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    out_path = ""

    def log_message(self, fmt, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            payload = json.loads(body)
        except ValueError:
            self.send_response(400)
            self.end_headers()
            return
        with LOCK, open(self.out_path, "a", encoding="utf-8") as out:
            out.write(json.dumps({"path": self.path, "payload": payload}, sort_keys=True) + "\n")
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()


def main():
    port, out = int(sys.argv[1]), sys.argv[2]
    open(out, "a").close()
    Handler.out_path = out
    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


if __name__ == "__main__":
    main()
