import { readFileSync } from "node:fs";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { MONGO_INDEXES } from "./indexes";

/** Runs scripts/mongodb-indexes.js as mongosh would, against a `db` that records what it is asked. */
function indexesOfScript() {
  const made: { collection: string; key: unknown; name: string; unique?: boolean }[] = [];
  const db = {
    getCollection: (collection: string) => ({
      createIndex: (key: unknown, options: { name: string; unique?: boolean }) =>
        made.push({ collection, key, name: options.name, ...(options.unique ? { unique: true } : {}) }),
      getIndexes: () => made.filter((m) => m.collection === collection),
    }),
  };
  runInNewContext(readFileSync(new URL("../../../scripts/mongodb-indexes.js", import.meta.url), "utf8"), {
    db,
    print: () => {},
  });
  return made;
}

describe("scripts/mongodb-indexes.js", () => {
  it("creates exactly the indexes the store declares (MONGO_INDEXES)", () => {
    const sort = <T extends { collection: string; name: string }>(list: T[]) =>
      [...list].sort((a, b) => `${a.collection}.${a.name}`.localeCompare(`${b.collection}.${b.name}`));
    expect(JSON.parse(JSON.stringify(sort(indexesOfScript())))).toEqual(sort(MONGO_INDEXES));
  });
});
