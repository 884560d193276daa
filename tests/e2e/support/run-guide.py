"""Runs docs/analysis.md's python blocks (tests/e2e/support/guide.ts).

Usage: run-guide.py <blocks.json> <out.json> <variable>...
Runs the blocks in order in one namespace, in the current directory (where
the downloads are); a block that raises is recorded with its traceback and
the next one runs. Writes {"results": {variable: records}, "errors": {step:
traceback}}: each DataFrame or Series asked for, its index as columns.
"""
import json
import sys
import traceback

import pandas as pd


def records(value):
    frame = value.to_frame() if isinstance(value, pd.Series) else value
    return json.loads(frame.reset_index().to_json(orient="records", double_precision=15))


def main(blocks_path, out_path, *variables):
    with open(blocks_path, encoding="utf-8") as f:
        blocks = json.load(f)
    namespace, errors = {"__name__": "__guide__"}, {}
    for block in blocks:
        try:
            exec(compile(block["code"], f"docs/analysis.md ({block['step']})", "exec"), namespace)
        except Exception:
            errors[block["step"]] = traceback.format_exc()
    results = {name: records(namespace[name]) for name in variables if name in namespace}
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump({"results": results, "errors": errors}, f)


if __name__ == "__main__":
    main(*sys.argv[1:])
