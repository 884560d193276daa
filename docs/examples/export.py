#!/usr/bin/env python3
"""Export every record of a deployment to a JSON Lines file, page by page.

Usage: python3 export.py http://127.0.0.1:8787 <researcher token> [out.jsonl]
Standard library only. Load the result with pandas:
    df = pd.read_json("export.jsonl", lines=True)
"""
import json
import sys
import urllib.request

QUERY = """
query Export($after: String) {
  export(first: 1000, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {
      kind: __typename id userId sessionId prolificStudyId receivedAt clientTime
      ... on QueryRecord { conversationId query response model latencyMs error sources { rank title url content } }
      ... on EventRecord { eventId eventType eventQuery: query queryId targetUrl pageUrl extraData }
    } }
  }
}
"""


def main(base_url: str, token: str, out_path: str = "export.jsonl") -> None:
    after, written = None, 0
    with open(out_path, "w", encoding="utf-8") as out:
        while True:
            request = urllib.request.Request(
                f"{base_url.rstrip('/')}/graphql",
                data=json.dumps({"query": QUERY, "variables": {"after": after}}).encode(),
                headers={"content-type": "application/json", "authorization": f"Bearer {token}"},
            )
            with urllib.request.urlopen(request) as response:
                body = json.load(response)
            if body.get("errors"):
                sys.exit(f"export failed: {body['errors'][0]['message']}")
            page = body["data"]["export"]
            for edge in page["edges"]:
                out.write(json.dumps(edge["node"]) + "\n")
                written += 1
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
    print(f"wrote {written} of {page['totalCount']} records to {out_path}")


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(*sys.argv[1:4])
