#!/usr/bin/env python3
"""A stand-in for a Prometheus server's /api/v1/query, for zaph-report --prometheus's tests.

Usage: fake_server.py SCENARIO.json PORT_FILE

Serves on 127.0.0.1 at a free port, which it writes to PORT_FILE. The scenario is a JSON object:
  "time":    the Unix time every query must ask for (the time parameter), optional;
  "answers": query text -> answer, where an answer is
             {"series": [[{labels}, "value"], ...]}  a vector result (HTTP 200),
             {"code": N, "json": {...}}            that JSON with status N,
             {"code": N, "text": "..."}            that text with status N.
A query the scenario does not list, or one at another time, gets HTTP 400 with the API's error
object, so a test fails when zaph-report asks for anything but what the scenario expects.
"""
import http.server
import json
import os
import sys
import urllib.parse


def vector(series):
    result = [{"metric": labels, "value": [1796083200, value]} for labels, value in series]
    return 200, json.dumps({"status": "success", "data": {"resultType": "vector", "result": result}})


def error(text):
    return 400, json.dumps({"status": "error", "errorType": "bad_data", "error": text})


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        params = urllib.parse.parse_qs(url.query)
        query = params.get("query", [""])[0]
        at = params.get("time", [""])[0]
        answer = self.server.scenario["answers"].get(query)
        if url.path != "/api/v1/query":
            code, body = 404, "404 page not found\n"
        elif "time" in self.server.scenario and at != str(self.server.scenario["time"]):
            code, body = error("unexpected time " + at)
        elif answer is None:
            code, body = error("unexpected query " + query)
        elif "series" in answer:
            code, body = vector(answer["series"])
        elif "json" in answer:
            code, body = answer["code"], json.dumps(answer["json"])
        else:
            code, body = answer["code"], answer["text"]
        data = body.encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        scenario = json.load(f)
    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    server.scenario = scenario
    with open(sys.argv[2] + ".tmp", "w", encoding="utf-8") as f:
        f.write(str(server.server_address[1]))
    os.rename(sys.argv[2] + ".tmp", sys.argv[2])
    server.serve_forever()


if __name__ == "__main__":
    main()
