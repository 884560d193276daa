/**
 * Copies GraphiQL's browser build into the static assets (build/client/graphiql),
 * so /graphql renders GraphiQL with no internet (api/graphiql.ts links to it).
 */
import { cpSync, existsSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);
const dist = join(dirname(require.resolve("@graphql-yoga/graphiql")), ".");
const target = new URL("../build/client/graphiql/", import.meta.url).pathname;

mkdirSync(target, { recursive: true });
for (const file of ["yoga-graphiql.umd.js", "graphiql.css", "monacoeditorwork"]) {
  const from = join(dist, file);
  if (!existsSync(from)) throw new Error(`@graphql-yoga/graphiql has no ${file}: is it installed?`);
  cpSync(from, join(target, file), { recursive: true });
}
console.log(`GraphiQL assets copied to ${target}`);
