import { getOperationAST } from "graphql";
import { isAsyncIterable, mapAsyncIterator, type Plugin } from "graphql-yoga";

/**
 * An unexpected error (a bug, or a failure without a code) is masked for the
 * caller and logged as one line: the operation's name and the error's class.
 * Never its message, the variables or the document: they may hold a
 * participant's words, an id or a secret. The class and the operation say
 * where to look; reproducing it is the next step.
 *
 * The masking function (api/yoga.ts) marks each error it masks with the
 * class of what it hid; this plugin logs the marks of each answer (each
 * event of a stream) once, when the answer is sent.
 */
const hidden = new WeakMap<object, string>();

function className(error: unknown): string {
  if (error === null || typeof error !== "object") return typeof error;
  const name = Object.getPrototypeOf(error)?.constructor?.name;
  return typeof name === "string" && name !== "" ? name : "Object";
}

/** Marks `masked` (what the caller gets) as hiding `cause`. */
export function markUnexpected(masked: object, cause: unknown): void {
  hidden.set(masked, className(cause));
}

/** GraphQL names only: anything else a caller sends as operationName is not written to the log. */
const NAME = /^[_A-Za-z][_0-9A-Za-z]{0,99}$/;

type Errors = { errors?: readonly unknown[] } | null | undefined;

function logHidden(result: Errors, operation: string): void {
  const classes = new Set<string>();
  for (const error of result?.errors ?? []) {
    const cause = typeof error === "object" && error !== null ? hidden.get(error) : undefined;
    if (cause) classes.add(cause);
  }
  if (classes.size > 0)
    console.error(`unexpected error in operation ${operation}: ${[...classes].join(", ")}`);
}

export function logUnexpectedErrors(): Plugin {
  const operations = new WeakMap<Request, string>();
  const remember = (
    request: Request | undefined,
    document: Parameters<typeof getOperationAST>[0],
    name?: string | null,
  ) => {
    if (!request) return;
    const operation = getOperationAST(document, name);
    operations.set(request, operation?.name?.value ?? "(anonymous)");
  };
  const nameOf = (request: Request) => operations.get(request) ?? "(none)";
  return {
    onParams({ request, params }) {
      const name = params.operationName;
      if (typeof name === "string" && NAME.test(name)) operations.set(request, name);
    },
    onExecute({ args }) {
      remember((args.contextValue as { request?: Request }).request, args.document, args.operationName);
    },
    onSubscribe({ args }) {
      remember((args.contextValue as { request?: Request }).request, args.document, args.operationName);
    },
    onResultProcess({ request, result, setResult }) {
      if (isAsyncIterable(result)) {
        // mapAsyncIterator passes return() straight on: a client that stops a stream still stops it at once.
        setResult(
          mapAsyncIterator(result, (event) => {
            logHidden(event, nameOf(request));
            return event;
          }),
        );
        return;
      }
      const results = Array.isArray(result) ? result : [result];
      for (const one of results) logHidden(one as Errors, nameOf(request));
    },
  };
}
