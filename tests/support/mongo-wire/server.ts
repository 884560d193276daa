/**
 * The wire-protocol test server itself (see ../mongo-wire-server.ts): TCP
 * connections on 127.0.0.1, messages framed by ./protocol.ts and answered
 * one at a time per connection (as mongod answers a connection), the command
 * log, the queued faults, the retry cache of a replica-set primary, and the
 * handle tests drive it with.
 */
import { createServer, type Socket } from "node:net";
import type { Document } from "bson";
import { clone, EngineError, MemoryMongo } from "../data-api/engine";
import { type CommandContext, commandName, RETRYABLE_WRITES, runCommand, txnKey } from "./commands";
import { Cursors } from "./cursors";
import {
  encodeReply,
  MAX_MESSAGE_BYTES,
  MORE_TO_COME,
  ProtocolError,
  parseMessage,
  type WireRequest,
} from "./protocol";
import type { MongoWireServer, MongoWireServerOptions, WireCommand, WireFault } from "./types";

const HANDSHAKES = new Set(["hello", "isMaster", "ismaster"]);

/** Every OP_QUERY command but the handshake was removed in mongod 5.1+, and is refused so. */
const opQueryRefusal = (name: string) => ({
  ok: 0,
  errmsg: `Unsupported OP_QUERY command: ${name}. The client driver may require an upgrade.`,
  code: 352,
  codeName: "UnsupportedOpQueryCommand",
});

export async function startMongoWireServer(options: MongoWireServerOptions = {}): Promise<MongoWireServer> {
  const engine = new MemoryMongo(options.uniqueIndexes);
  const cursors = new Cursors();
  const commands: WireCommand[] = [];
  const faults: WireFault[] = [];
  const retried = new Map<string, Document>();
  const sockets = new Set<Socket>();
  const pendingWaits = new Set<() => void>();
  let opened = 0;
  let sequence = 0;
  let stopped = false;
  let host = "127.0.0.1:0";

  /** Resolves true after ms, or false early when the connection closes or the server stops. */
  function wait(ms: number, socket: Socket): Promise<boolean> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        pendingWaits.delete(done);
        socket.off("close", done);
        resolve(!socket.destroyed && !stopped);
      };
      const timer = setTimeout(done, ms);
      pendingWaits.add(done);
      socket.once("close", done);
    });
  }

  function takeFault(name: string): WireFault | undefined {
    const at = faults.findIndex((f) =>
      f.command === undefined ? !HANDSHAKES.has(name) : f.command === name,
    );
    return at >= 0 ? faults.splice(at, 1)[0] : undefined;
  }

  /** The reply document (with ok) of one command; a retried write gets its first answer again. */
  function execute(db: string, command: Document, context: CommandContext, log: WireCommand): Document {
    const name = commandName(command);
    const key =
      options.replicaSet && RETRYABLE_WRITES.has(name) ? txnKey(command.lsid, command.txnNumber) : null;
    const cached = key ? retried.get(key) : undefined;
    if (cached) {
      log.replayed = true;
      return cached;
    }
    let reply: Document;
    try {
      reply = { ...runCommand(db, command, context), ok: 1 };
    } catch (error) {
      const e =
        error instanceof EngineError
          ? error
          : new EngineError(1, "InternalError", `test server failure: ${String(error)}`);
      reply = { ok: 0, errmsg: e.message, code: e.code, codeName: e.codeName };
    }
    if (key && reply.ok === 1) retried.set(key, reply);
    return reply;
  }

  async function handle(socket: Socket, connection: number, request: WireRequest): Promise<void> {
    const command = request.command;
    const name = commandName(command);
    const db =
      request.kind === "OP_MSG"
        ? typeof command.$db === "string"
          ? command.$db
          : ""
        : ((request.collection ?? "").split(".")[0] ?? "");
    sequence += 1;
    const log: WireCommand = {
      number: sequence,
      connection,
      opCode: request.kind,
      name,
      db,
      body: clone(command),
      sequences: request.sequences,
      flags: request.flags,
      receivedAt: Date.now(),
    };
    commands.push(log);
    const context: CommandContext = {
      engine,
      cursors,
      host,
      connectionId: connection,
      replicaSet: options.replicaSet,
    };
    const run = (): Document => {
      if (request.kind === "OP_QUERY" && !HANDSHAKES.has(name)) return opQueryRefusal(name);
      if (request.kind === "OP_MSG" && db === "") {
        return {
          ok: 0,
          errmsg: "OP_MSG requests require a $db argument",
          code: 40571,
          codeName: "Location40571",
        };
      }
      return execute(db, command, context, log);
    };

    const fault = takeFault(name);
    let reply = fault?.applied ? run() : undefined;
    if (fault) {
      if (fault.delayMs && !(await wait(fault.delayMs, socket))) return;
      if (fault.reset) {
        socket.resetAndDestroy();
        return;
      }
      if (fault.error) {
        reply = {
          ok: 0,
          errmsg: fault.error.errmsg ?? `injected ${fault.error.codeName}`,
          code: fault.error.code,
          codeName: fault.error.codeName,
          ...(fault.error.errorLabels ? { errorLabels: fault.error.errorLabels } : {}),
        };
      }
    }
    reply ??= run();
    log.ok = reply.ok === 1 ? 1 : 0;
    if (reply.ok !== 1 && typeof reply.code === "number") log.code = reply.code;
    // moreToCome from the client (w: 0): no answer is expected.
    if ((request.flags & MORE_TO_COME) !== 0 || socket.destroyed) return;
    socket.write(encodeReply(request, reply));
  }

  function accept(socket: Socket): void {
    if (stopped) {
      socket.destroy();
      return;
    }
    opened += 1;
    const connection = opened;
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {}); // a reset by the client is the client's business
    let buffered = Buffer.alloc(0);
    let queue = Promise.resolve();
    socket.on("data", (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 4) {
        const length = buffered.readInt32LE(0);
        if (length < 21 || length > MAX_MESSAGE_BYTES) {
          socket.destroy(); // mongod closes a connection that sends a bad length
          return;
        }
        if (buffered.length < length) break;
        const message = buffered.subarray(0, length);
        buffered = buffered.subarray(length);
        // A message that arrived is run even when the client closed right after sending it (as
        // the driver does with endSessions), as mongod runs it; only the answer is then dropped.
        queue = queue.then(async () => {
          let request: WireRequest;
          try {
            request = parseMessage(message);
          } catch (error) {
            if (!(error instanceof ProtocolError)) throw error;
            socket.destroy();
            return;
          }
          await handle(socket, connection, request);
        });
      }
    });
  }

  const server = createServer(accept);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("the wire server has no TCP address");
  host = `127.0.0.1:${address.port}`;

  return {
    uri: `mongodb://${host}/?directConnection=true`,
    port: address.port,
    host,
    commands,
    operations: () => commands.filter((c) => !HANDSHAKES.has(c.name)),
    connections: () => ({ opened, open: sockets.size }),
    dropConnections() {
      for (const socket of sockets) socket.resetAndDestroy();
    },
    failNext(n, fault) {
      for (let i = 0; i < n; i++) faults.push({ ...fault });
    },
    fail(...more) {
      faults.push(...more.map((f) => ({ ...f })));
    },
    pendingFaults: () => faults.length,
    openCursors: () => cursors.size,
    databases: () => engine.databaseNames(),
    collections: (db) => engine.collectionNames(db),
    documents: (db, collection) => engine.documents(db, collection),
    indexes: (db, collection) => engine.listIndexes(db, collection),
    seed(db, collection, documents) {
      engine.insertMany(db, collection, documents);
    },
    reset() {
      engine.reset();
      cursors.clear();
      retried.clear();
      commands.length = 0;
      faults.length = 0;
      sequence = 0;
    },
    async close() {
      stopped = true;
      for (const done of [...pendingWaits]) done();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
