/**
 * The MongoDB wire protocol's framing, as mongod reads and writes it
 * (https://www.mongodb.com/docs/manual/reference/mongodb-wire-protocol/):
 * a 16-byte header (messageLength, requestID, responseTo, opCode, all int32
 * little-endian), then
 * - OP_MSG (2013): flagBits uint32, sections (kind 0: one BSON document, the
 *   command; kind 1: int32 size, a C string identifier, BSON documents until
 *   the size is used: a "document sequence" such as insert's `documents`),
 *   and a CRC-32C of everything before it when flag bit 0 (checksumPresent)
 *   is set;
 * - OP_QUERY (2004, legacy): what drivers still send for the first
 *   `hello`/`isMaster` of a connection before they know the server speaks
 *   OP_MSG; answered by OP_REPLY (1).
 * Nothing else is spoken: OP_COMPRESSED is never negotiated (the server
 * offers no compressor), and the old OP_INSERT/OP_GET_MORE were removed from
 * mongod 6.0.
 */
import { BSON, type Document } from "bson";

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_COMPRESSED = 2012;
export const OP_MSG = 2013;

export const CHECKSUM_PRESENT = 1 << 0;
export const MORE_TO_COME = 1 << 1;
export const EXHAUST_ALLOWED = 1 << 16;
/** Bits 0-15 are "required": a reader must refuse a message with one it does not know. */
const KNOWN_REQUIRED_BITS = CHECKSUM_PRESENT | MORE_TO_COME;

/** mongod's default maxMessageSizeBytes. */
export const MAX_MESSAGE_BYTES = 48_000_000;

export type Header = { length: number; requestId: number; responseTo: number; opCode: number };

/** A parsed request: the command document with each document sequence folded in as an array. */
export type WireRequest = {
  header: Header;
  kind: "OP_MSG" | "OP_QUERY";
  /** OP_MSG flagBits (OP_QUERY: 0). */
  flags: number;
  command: Document;
  /** OP_MSG kind-1 identifiers, in order (e.g. ["documents"]). */
  sequences: string[];
  /** OP_QUERY's fullCollectionName, e.g. "admin.$cmd". */
  collection?: string;
  checksum: boolean;
};

/** A message the server cannot accept: mongod closes the connection on these. */
export class ProtocolError extends Error {
  override name = "ProtocolError";
}

// BSON as the driver sends it: int64 values become numbers where they fit (cursor ids stay Longs when big).
const READ = { promoteLongs: true, promoteValues: true, promoteBuffers: false, bsonRegExp: false } as const;

function readDocument(buffer: Buffer, at: number): [Document, number] {
  if (at + 5 > buffer.length) throw new ProtocolError("truncated BSON document");
  const size = buffer.readInt32LE(at);
  if (size < 5 || at + size > buffer.length) throw new ProtocolError(`bad BSON document size ${size}`);
  return [BSON.deserialize(buffer.subarray(at, at + size), READ), at + size];
}

function readCString(buffer: Buffer, at: number): [string, number] {
  const end = buffer.indexOf(0, at);
  if (end < 0) throw new ProtocolError("unterminated C string");
  return [buffer.toString("utf8", at, end), end + 1];
}

const CRC32C_TABLE = (() => {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  return table;
})();

/** CRC-32C (Castagnoli), OP_MSG's checksum. */
export function crc32c(bytes: Uint8Array): number {
  let crc = -1;
  for (const byte of bytes) crc = (CRC32C_TABLE[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}

export function readHeader(buffer: Buffer): Header {
  return {
    length: buffer.readInt32LE(0),
    requestId: buffer.readInt32LE(4),
    responseTo: buffer.readInt32LE(8),
    opCode: buffer.readInt32LE(12),
  };
}

function parseOpMsg(message: Buffer, header: Header): WireRequest {
  const flags = message.readUInt32LE(16);
  if ((flags & 0xffff & ~KNOWN_REQUIRED_BITS) !== 0) {
    throw new ProtocolError(`unknown required OP_MSG flag bits 0x${flags.toString(16)}`);
  }
  const checksum = (flags & CHECKSUM_PRESENT) !== 0;
  let end = message.length;
  if (checksum) {
    end -= 4;
    const sent = message.readUInt32LE(end);
    const computed = crc32c(message.subarray(0, end));
    if (sent !== computed) throw new ProtocolError(`OP_MSG checksum mismatch (${sent} != ${computed})`);
  }
  let command: Document | undefined;
  const folded: Record<string, Document[]> = {};
  const sequences: string[] = [];
  let at = 20;
  while (at < end) {
    const kind = message[at];
    at += 1;
    if (kind === 0) {
      if (command) throw new ProtocolError("OP_MSG with two kind-0 sections");
      [command, at] = readDocument(message, at);
    } else if (kind === 1) {
      const sectionEnd = at + message.readInt32LE(at);
      if (sectionEnd > end) throw new ProtocolError("OP_MSG document sequence past the message");
      let identifier: string;
      [identifier, at] = readCString(message, at + 4);
      const docs: Document[] = [];
      while (at < sectionEnd) {
        let doc: Document;
        [doc, at] = readDocument(message, at);
        docs.push(doc);
      }
      sequences.push(identifier);
      folded[identifier] = docs;
    } else {
      throw new ProtocolError(`unknown OP_MSG section kind ${String(kind)}`);
    }
  }
  if (!command) throw new ProtocolError("OP_MSG without a command (kind-0 section)");
  for (const [identifier, docs] of Object.entries(folded)) {
    if (identifier in command) throw new ProtocolError(`'${identifier}' both in the command and a sequence`);
    command[identifier] = docs;
  }
  return { header, kind: "OP_MSG", flags, command, sequences, checksum };
}

function parseOpQuery(message: Buffer, header: Header): WireRequest {
  const [collection, afterName] = readCString(message, 20);
  // numberToSkip and numberToReturn (8 bytes) mean nothing for a command.
  let [command] = readDocument(message, afterName + 8);
  // A driver may wrap a command sent to a mongos as {$query: command, $readPreference}.
  if (command.$query && typeof command.$query === "object") command = command.$query as Document;
  return { header, kind: "OP_QUERY", flags: 0, command, sequences: [], collection, checksum: false };
}

/** Parses one whole message (header included). */
export function parseMessage(message: Buffer): WireRequest {
  const header = readHeader(message);
  if (header.opCode === OP_MSG) return parseOpMsg(message, header);
  if (header.opCode === OP_QUERY) return parseOpQuery(message, header);
  if (header.opCode === OP_COMPRESSED)
    throw new ProtocolError("OP_COMPRESSED without a negotiated compressor");
  throw new ProtocolError(`unsupported opCode ${header.opCode}`);
}

let nextRequestId = 1;

function frame(opCode: number, responseTo: number, body: Buffer): Buffer {
  const header = Buffer.alloc(16);
  header.writeInt32LE(16 + body.length, 0);
  header.writeInt32LE(nextRequestId++ & 0x7fffffff, 4);
  header.writeInt32LE(responseTo, 8);
  header.writeInt32LE(opCode, 12);
  return Buffer.concat([header, body]);
}

/** The answer to a request, in the request's own kind: OP_MSG for OP_MSG, OP_REPLY for OP_QUERY. */
export function encodeReply(request: WireRequest, reply: Document): Buffer {
  const doc = Buffer.from(BSON.serialize(reply));
  if (request.kind === "OP_QUERY") {
    // responseFlags 0, cursorID 0, startingFrom 0, numberReturned 1.
    const fixed = Buffer.alloc(20);
    fixed.writeInt32LE(1, 16);
    return frame(OP_REPLY, request.header.requestId, Buffer.concat([fixed, doc]));
  }
  return frame(OP_MSG, request.header.requestId, Buffer.concat([Buffer.alloc(4), Buffer.from([0]), doc]));
}

/** An OP_MSG request as a driver frames it (for tests of the server that bypass the driver). */
export function encodeOpMsg(
  command: Document,
  options: { requestId?: number; sequences?: Record<string, Document[]>; checksum?: boolean } = {},
): Buffer {
  const parts: Buffer[] = [Buffer.from([0]), Buffer.from(BSON.serialize(command))];
  for (const [identifier, docs] of Object.entries(options.sequences ?? {})) {
    const body = Buffer.concat([
      Buffer.from(`${identifier}\0`, "utf8"),
      ...docs.map((d) => Buffer.from(BSON.serialize(d))),
    ]);
    const size = Buffer.alloc(4);
    size.writeInt32LE(4 + body.length);
    parts.push(Buffer.from([1]), size, body);
  }
  const flags = Buffer.alloc(4);
  flags.writeUInt32LE(options.checksum ? CHECKSUM_PRESENT : 0);
  const body = Buffer.concat([flags, ...parts]);
  const header = Buffer.alloc(16);
  const length = 16 + body.length + (options.checksum ? 4 : 0);
  header.writeInt32LE(length, 0);
  header.writeInt32LE(options.requestId ?? 1, 4);
  header.writeInt32LE(0, 8);
  header.writeInt32LE(OP_MSG, 12);
  const message = Buffer.concat([header, body]);
  if (!options.checksum) return message;
  const crc = Buffer.alloc(4);
  crc.writeUInt32LE(crc32c(message));
  return Buffer.concat([message, crc]);
}

/** Reads the first document of an OP_MSG or OP_REPLY answer (for tests that bypass the driver). */
export function decodeReply(message: Buffer): { header: Header; reply: Document } {
  const header = readHeader(message);
  if (header.opCode === OP_REPLY) return { header, reply: readDocument(message, 36)[0] };
  if (header.opCode !== OP_MSG || message[20] !== 0) throw new ProtocolError("not a reply");
  return { header, reply: readDocument(message, 21)[0] };
}
