#!/usr/bin/env python3
"""Download a deployment's analysis-ready tables (docs/export.md) into a folder.

Usage:
    export LSP_RESEARCHER_TOKEN=...
    python3 export.py --url http://127.0.0.1:8787 --study demo --out data/

Writes data/answers.csv, sources.csv, events.csv, participants.csv (or
.ndjson with --format ndjson) and dataset_description.json: the bytes of
GET /export/<table>.<format>, so the columns are the downloads' own
(study_id, condition, study_version on every table). The filters are the
downloads' query parameters, checked by the server. Standard library only.
Load the files as docs/analysis.md shows, e.g. pd.read_csv("data/sources.csv").

Exit codes: 0 done; 1 the server refused (its message is printed) or could
not be reached; 2 bad arguments.
"""
import argparse
import http.client
import json
import os
import shutil
import sys
import urllib.error
import urllib.parse
import urllib.request

TABLES = ["answers", "sources", "events", "participants"]
# Option -> the downloads' query parameter (lists may be given repeated or comma-separated).
LIST_FILTERS = {"study": "studyIds", "condition": "conditions", "user": "userIds", "panel_id": "panelParticipantIds"}


def arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", required=True, help="the deployment, e.g. https://study.example.org")
    parser.add_argument("--out", required=True, help="the folder to write the files in (created if missing)")
    parser.add_argument("--format", choices=["csv", "ndjson"], default="csv")
    parser.add_argument("--table", action="append", choices=TABLES, help="one table (repeatable); default: all four")
    parser.add_argument("--token", help="a researcher token; default: $LSP_RESEARCHER_TOKEN")
    parser.add_argument("--study", action="append", default=[], help="study id (repeatable)")
    parser.add_argument("--condition", action="append", default=[], help="condition (repeatable)")
    parser.add_argument("--user", action="append", default=[], help="participant id (repeatable)")
    parser.add_argument("--panel-id", action="append", default=[], help="PROLIFIC_PID (repeatable)")
    parser.add_argument("--from", dest="from_", metavar="FROM", help="ISO-8601 time, inclusive (server time)")
    parser.add_argument("--to", help="ISO-8601 time, exclusive: give one for files that do not change")
    args = parser.parse_args(argv)
    args.token = args.token or os.environ.get("LSP_RESEARCHER_TOKEN")
    if not args.token:
        parser.error("a researcher token is needed: set LSP_RESEARCHER_TOKEN (or give --token)")
    return args


def query_string(args):
    pairs = [(parameter, value) for option, parameter in LIST_FILTERS.items() for value in getattr(args, option)]
    pairs += [(name, value) for name, value in (("from", args.from_), ("to", args.to)) if value]
    return urllib.parse.urlencode(pairs)


def download(url, token, path):
    """Streams url into path; the file appears only once the whole body has arrived."""
    headers = {"authorization": f"Bearer {token}"} if token else {}
    partial = path + ".part"
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as response:
            with open(partial, "wb") as out:
                shutil.copyfileobj(response, out)
        os.replace(partial, path)
    finally:
        if os.path.exists(partial):
            os.remove(partial)


def refusal(error):
    """The server's {"error": {"code", "message"}}, or the HTTP status."""
    try:
        body = json.load(error)["error"]
        return f"{error.code} {body['code']}: {body['message']}"
    except (ValueError, KeyError, TypeError):
        return f"{error.code} {error.reason}"


def main(argv):
    args = arguments(argv)
    base = args.url.rstrip("/")
    os.makedirs(args.out, exist_ok=True)
    query = query_string(args)
    files = [(f"/export/{table}.{args.format}?{query}", f"{table}.{args.format}", args.token) for table in args.table or TABLES]
    files.append(("/export/dataset_description.json", "dataset_description.json", None))
    try:
        for path, name, token in files:
            download(base + path, token, os.path.join(args.out, name))
            print(f"wrote {os.path.join(args.out, name)}", file=sys.stderr)
    except urllib.error.HTTPError as error:
        sys.exit(f"export.py: the server refused {path.split('?')[0]} ({refusal(error)})")
    except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
        sys.exit(f"export.py: could not download {base}{path.split('?')[0]}: {error}")


if __name__ == "__main__":
    main(sys.argv[1:])
