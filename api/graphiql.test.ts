import { createSchema, createYoga } from "graphql-yoga";
import { describe, expect, it } from "vitest";
import { graphiqlPage, graphiqlPolicy } from "./graphiql";

const yoga = createYoga({
  schema: createSchema({ typeDefs: "type Query { ok: Boolean }", resolvers: { Query: { ok: () => true } } }),
  graphiql: false,
  plugins: [graphiqlPage("/graphql")],
});

const openGraphiQL = () => yoga.fetch("http://localhost/graphql", { headers: { accept: "text/html" } });

describe("graphiqlPage", () => {
  it("serves GraphiQL to a browser under its own policy, whose nonce is on exactly its inline scripts", async () => {
    const response = await openGraphiQL();
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const policy = response.headers.get("content-security-policy") ?? "";
    const nonce = /'nonce-([A-Za-z0-9+/]+=*)'/.exec(policy)?.[1] ?? "";
    expect(policy).toBe(graphiqlPolicy(nonce));
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");

    const html = await response.text();
    const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1]?.trim());
    expect(scripts).toEqual([`nonce="${nonce}"`, 'src="/graphiql/yoga-graphiql.umd.js"', `nonce="${nonce}"`]);
    expect(html).toContain('"shouldPersistHeaders":false');
  });

  it("uses a fresh nonce for every response", async () => {
    const policies = await Promise.all([openGraphiQL(), openGraphiQL()].map(async (r) => (await r).headers));
    expect(policies[0]?.get("content-security-policy")).not.toBe(policies[1]?.get("content-security-policy"));
  });

  it("leaves GraphQL requests, by GET or POST, to Yoga", async () => {
    const get = await yoga.fetch("http://localhost/graphql?query=%7Bok%7D", {
      headers: { accept: "application/json" },
    });
    expect(await get.json()).toEqual({ data: { ok: true } });
    const post = await yoga.fetch("http://localhost/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/html, application/json" },
      body: JSON.stringify({ query: "{ ok }" }),
    });
    expect(await post.json()).toEqual({ data: { ok: true } });
  });
});
