/**
 * Server-side cursors of the wire-protocol test server, as mongod keeps
 * them: `find` and `aggregate` answer a first batch (101 documents unless
 * the command's batchSize says otherwise, never more than 16 MiB), and when
 * more are left a non-zero 64-bit cursor id that `getMore` pages on (its
 * batchSize, or everything left up to 16 MiB) and `killCursors` ends. A
 * cursor belongs to its namespace: a getMore naming another collection is
 * refused, as mongod refuses it.
 */
import { randomBytes } from "node:crypto";
import { BSON, type Document, Long } from "bson";
import { type Doc, EngineError } from "../data-api/engine";

const DEFAULT_FIRST_BATCH = 101;
const MAX_BATCH_BYTES = 16 * 1024 * 1024;

type Open = { ns: string; docs: Doc[] };

/** A cursor id as the driver sends it (number, Long or bigint) → bigint; null when it is none of those. */
export function cursorId(value: unknown): bigint | null {
  if (typeof value === "bigint") return value;
  if (typeof value === "number" && Number.isInteger(value)) return BigInt(value);
  if (value instanceof Long) return value.toBigInt();
  return null;
}

export class Cursors {
  private readonly open = new Map<bigint, Open>();

  /** How many cursors are open (a test can see that a cursor was killed or exhausted). */
  get size(): number {
    return this.open.size;
  }

  /** Takes a batch off the front: at most `limit` documents and 16 MiB (at least one document). */
  private static take(docs: Doc[], limit: number): Doc[] {
    let bytes = 0;
    let n = 0;
    while (n < docs.length && n < limit) {
      bytes += BSON.calculateObjectSize(docs[n] as Document);
      if (n > 0 && bytes > MAX_BATCH_BYTES) break;
      n += 1;
    }
    return docs.splice(0, n);
  }

  /** The `cursor` document of a find or aggregate answer; keeps what is left unless `singleBatch`. */
  first(ns: string, results: Doc[], batchSize: number | undefined, singleBatch = false): Document {
    const docs = [...results];
    const firstBatch = Cursors.take(docs, batchSize ?? DEFAULT_FIRST_BATCH);
    let id = 0n;
    if (docs.length > 0 && !singleBatch) {
      // A random positive int64, as mongod gives (never 0, which means "exhausted").
      id = (randomBytes(8).readBigUInt64LE() >> 1n) | 1n;
      this.open.set(id, { ns, docs });
    }
    return { firstBatch, id: Long.fromBigInt(id), ns };
  }

  /** The `cursor` document of a getMore answer. */
  more(id: bigint, ns: string, batchSize: number | undefined): Document {
    const cursor = this.open.get(id);
    if (!cursor) throw new EngineError(43, "CursorNotFound", `cursor id ${id} not found`);
    if (cursor.ns !== ns) {
      throw new EngineError(
        13,
        "Unauthorized",
        `Requested getMore on namespace '${ns}', but cursor belongs to a different namespace ${cursor.ns}`,
      );
    }
    const nextBatch = Cursors.take(
      cursor.docs,
      batchSize && batchSize > 0 ? batchSize : Number.MAX_SAFE_INTEGER,
    );
    const left = cursor.docs.length > 0;
    if (!left) this.open.delete(id);
    return { nextBatch, id: Long.fromBigInt(left ? id : 0n), ns };
  }

  /** Ends cursors; answers what killCursors answers. */
  kill(ids: bigint[]): Document {
    const killed: Long[] = [];
    const notFound: Long[] = [];
    for (const id of ids) (this.open.delete(id) ? killed : notFound).push(Long.fromBigInt(id));
    return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [] };
  }

  clear(): void {
    this.open.clear();
  }
}
