import { expect } from "vitest";
import type { App } from "../../../api/app";
import type { Deps } from "../../../api/deps";
import { DomainError, type ErrorCode } from "../../../api/errors";
import type { Caller } from "../../../api/participants/guard";
import {
  NO_PANEL,
  newParticipant,
  type Panel,
  type Participant,
} from "../../../api/participants/participant";
import type { Store } from "../../../api/store/store";
import type { StudyFile } from "../../../api/studies/definition";
import { appWithStudies, uid } from "../helpers";

/**
 * The domain's functions called directly, as the resolvers call them: the
 * real ports of the app (D1 of this test file, the scripted LLM, the study
 * catalog, the rate limits) and a Caller built from a participant the
 * server would have issued. No GraphQL in between.
 */

/** A study whose conditions answer from a script: `{{query}}` echoes the message. */
export function scriptedStudy(
  id: string,
  options: {
    completion?: Record<string, unknown>;
    outcomes?: Record<string, unknown>;
    maxTurns?: number;
    active?: boolean;
  } = {},
): StudyFile {
  const condition = (c: string) => ({
    id: c,
    description: `The ${c} arm`,
    llm: { provider: "scripted" },
    ...(options.maxTurns !== undefined ? { maxTurns: options.maxTurns } : {}),
    script: {
      model: `model-${c}`,
      tokenDelayMs: 0,
      rules: [
        {
          pattern: "source",
          answer: "See [the guide](https://docs.example/guide) [1].",
          sources: [{ title: "Guide", url: "https://docs.example/source" }],
        },
      ],
      fallback: { answer: "An answer about {{query}}" },
    },
  });
  return {
    file: `studies/${id}.json`,
    definition: {
      id,
      version: 3,
      title: `Domain ${id}`,
      active: options.active ?? true,
      consent: "Agree?",
      task: "Ask.",
      assignment: "balanced",
      conditions: [condition("alpha"), condition("beta")],
      completion: { code: "DOMAIN-CODE", ...options.completion },
      ...(options.outcomes ? { outcomes: options.outcomes } : {}),
    },
  };
}

export type DomainSetup = { app: App; deps: Deps; studyId: string };

/** The app's ports with one scripted study (and any more files), as Deps. */
export function domainSetup(
  options: Parameters<typeof scriptedStudy>[1] = {},
  vars: Record<string, string> = {},
): DomainSetup {
  const studyId = `dom-${uid().slice(0, 8)}`;
  const app = appWithStudies([scriptedStudy(studyId, options)], { OPEN_CHAT: "on", ...vars });
  return { app, deps: depsOf(app), studyId };
}

export function depsOf(app: App, store: Store = app.store): Deps {
  return { store, llm: app.llm, studies: app.studies, config: app.config, limits: app.limits };
}

/** A participant as startSession issues one, with these panel ids. */
export function participant(panel: Partial<Panel> = {}, studyId: string | null = null): Participant {
  return newParticipant({ ...NO_PANEL, ...panel }, studyId);
}

export const as = (who: Participant | null, researcher = false): Caller => ({
  participant: who,
  researcher,
  ip: "192.0.2.7",
});

export const researcher: Caller = { participant: null, researcher: true, ip: "192.0.2.8" };

/** The promise rejects with a DomainError of this code; returns it for more checks. */
export async function refused(promise: Promise<unknown>, code: ErrorCode): Promise<DomainError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, `expected ${code}`).toBeInstanceOf(DomainError);
  expect((error as DomainError).code).toBe(code);
  return error as DomainError;
}

/** The store, with every call of the named methods counted (they still run on the real store). */
export function countingStore(store: Store, methods: (keyof Store)[]): { store: Store; calls: string[] } {
  const calls: string[] = [];
  const counted = new Set<PropertyKey>(methods);
  const wrapped = new Proxy(store, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== "function" || !counted.has(prop)) return value;
      return (...args: unknown[]) => {
        calls.push(String(prop));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store: wrapped, calls };
}
