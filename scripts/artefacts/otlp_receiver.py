#!/usr/bin/env python3
"""A minimal OTLP/HTTP (protobuf) receiver for scripts/check-artefacts.sh.

Listens on 127.0.0.1:PORT, accepts POST /v1/traces (ExportTraceServiceRequest, optionally gzip-encoded), and appends
one JSON object per received span to OUT (trace_id, span_id, parent_span_id as lowercase hex; name; kind; attributes;
resource attributes). /v1/metrics and /v1/logs are accepted and ignored. Needs the `opentelemetry-proto` package.

Usage: otlp_receiver.py PORT OUT
"""
import gzip
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.proto.trace.v1.trace_pb2 import Span

LOCK = threading.Lock()


def any_value(value):
    """Turns an OTLP AnyValue into a plain Python value."""
    kind = value.WhichOneof("value")
    if kind is None:
        return None
    if kind == "array_value":
        return [any_value(v) for v in value.array_value.values]
    if kind == "kvlist_value":
        return {kv.key: any_value(kv.value) for kv in value.kvlist_value.values}
    if kind == "bytes_value":
        return value.bytes_value.hex()
    return getattr(value, kind)


def attributes(key_values):
    return {kv.key: any_value(kv.value) for kv in key_values}


class Handler(BaseHTTPRequestHandler):
    out_path = ""

    def log_message(self, fmt, *args):  # keep the check's output readable
        pass

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        if (self.headers.get("Content-Encoding") or "").lower() == "gzip":
            body = gzip.decompress(body)
        if self.path.rstrip("/") != "/v1/traces":
            self.reply(200, b"")
            return
        request = ExportTraceServiceRequest()
        try:
            request.ParseFromString(body)
        except Exception as error:  # a malformed body is the service's bug: say so, answer 400
            sys.stderr.write(f"otlp_receiver: undecodable ExportTraceServiceRequest: {error}\n")
            self.reply(400, b"")
            return
        lines = []
        for resource_spans in request.resource_spans:
            resource = attributes(resource_spans.resource.attributes)
            for scope_spans in resource_spans.scope_spans:
                for span in scope_spans.spans:
                    lines.append(json.dumps({
                        "trace_id": span.trace_id.hex(),
                        "span_id": span.span_id.hex(),
                        "parent_span_id": span.parent_span_id.hex(),
                        "name": span.name,
                        "kind": Span.SpanKind.Name(span.kind),
                        "start_unix_nano": span.start_time_unix_nano,
                        "end_unix_nano": span.end_time_unix_nano,
                        "status": span.status.code,
                        "attributes": attributes(span.attributes),
                        "resource": resource,
                        "scope": scope_spans.scope.name,
                    }, sort_keys=True))
        with LOCK, open(self.out_path, "a", encoding="utf-8") as out:
            for line in lines:
                out.write(line + "\n")
        self.reply(200, ExportTraceServiceResponse().SerializeToString())

    def reply(self, status, body):
        self.send_response(status)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def main():
    port, out = int(sys.argv[1]), sys.argv[2]
    open(out, "a").close()
    Handler.out_path = out
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.serve_forever()


if __name__ == "__main__":
    main()
