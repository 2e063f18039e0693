# A stub Kubernetes API server for the offline manifest checks (tests/slurm/lib.sh, k8s_start): it
# answers API discovery only (the core group and batch/v1 with Jobs), so that `kubectl create
# --dry-run=client` can map a manifest's kinds without a cluster. Any write is logged and refused
# (a client-side dry run sends none). Prints its port, then serves until killed.
import json
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

DOCS = {
    "/api": {"kind": "APIVersions", "versions": ["v1"],
             "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"}]},
    "/api/v1": {"kind": "APIResourceList", "groupVersion": "v1", "resources": []},
    "/apis": {"kind": "APIGroupList", "apiVersion": "v1",
              "groups": [{"name": "batch", "versions": [{"groupVersion": "batch/v1", "version": "v1"}],
                          "preferredVersion": {"groupVersion": "batch/v1", "version": "v1"}}]},
    "/apis/batch/v1": {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": "batch/v1",
                       "resources": [{"name": "jobs", "singularName": "job", "namespaced": True,
                                      "kind": "Job", "verbs": ["create", "get", "list"]}]},
}


class Stub(BaseHTTPRequestHandler):
    def answer(self, code, body=b""):
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path = self.path.split("?")[0]
        if path in DOCS:
            self.answer(200, json.dumps(DOCS[path]).encode())
        else:
            self.answer(404)

    def refuse(self):
        sys.stderr.write("REFUSED %s %s\n" % (self.command, self.path))
        sys.stderr.flush()
        self.answer(403)

    do_POST = do_PUT = do_PATCH = do_DELETE = refuse

    def log_message(self, *args):
        pass


server = HTTPServer(("127.0.0.1", 0), Stub)
print(server.server_address[1], flush=True)
server.serve_forever()
