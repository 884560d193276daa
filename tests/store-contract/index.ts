import { afterAll, beforeAll, describe, it } from "vitest";
import type { Store } from "../../api/store/store";
import { describeAssignments } from "./assignments";
import { describeAttentionResults } from "./attention";
import { describeBudgets } from "./budgets";
import { describeClickThrough } from "./click-through";
import { describeConversationTurns } from "./conversations";
import { describeStudyCounts } from "./counts";
import { describeStudyDefinitions } from "./definitions";
import { describeDownloads } from "./downloads";
import { describeErrorsAndHealth } from "./errors";
import { describeRecordEvents } from "./events";
import { describeFilters } from "./export";
import { describeIdentity } from "./identity";
import { describeStudyMeasures } from "./measures";
import { describeStudyMonitor } from "./monitor";
import { describePagination } from "./paging";
import { describeAnswerProvenance } from "./provenance";
import { describeRoundTrips } from "./records";
import { describeInputSignals } from "./signals";
import { describeStudies } from "./studies";
import { describeWithdrawals } from "./withdrawals";

/**
 * The Store port's contract, as one suite that every adapter runs: D1 in
 * workerd (tests/api/store-contract.test.ts), MongoDB in Node. It knows
 * nothing of any adapter (no SQL, no sequence, no cursor format): only what
 * a caller of the port can observe.
 *
 * The tests share one store and never clean up after themselves, so each
 * makes its own records under fresh ids, and reads back only through filters
 * on its own users or sessions. A test that needs a global view asserts only
 * what stays true whatever else the store holds (an empty list matches
 * nothing).
 *
 * One file per area, declared below in this order: records.ts (round trips
 * of every field), events.ts (recordEvents: idempotency, concurrency, the
 * largest batch), conversations.ts (conversationTurns), export.ts (filters
 * and count), counts.ts (count by study, condition,
 * kind, event type and time, after inserts and a withdrawal), paging.ts (pagination), studies.ts (study fields and filters,
 * a participant's conversations), identity.ts (panel ids on records, their
 * filter, panelParticipantCounts), assignments.ts (assign, links,
 * findPanelAssignment, turns, finish), withdrawals.ts (withdrawParticipant,
 * the audit), budgets.ts (takeBudget), definitions.ts (the study
 * definitions as deployed), downloads.ts (what the downloads read:
 * sourceClicks, exportParticipants, storedStudyValues), monitor.ts
 * (studyMonitor), click-through.ts (studyClickThrough, sourceExposure),
 * errors.ts (refused cursors, ping), measures.ts (studyMeasures), signals.ts
 * (input signals on queries, participantSignals), attention.ts
 * (attentionResults, the participants' attention counts);
 * shared.ts holds what they all use.
 */

export type StoreUnderTest = {
  store: Store;
  /** Runs once after the whole suite (closes clients, stops servers). */
  cleanup?: () => Promise<void>;
};

export type StoreContractOptions = {
  /**
   * Declares the suite skipped, with this reason in its name, so the run says
   * plainly what it did not test (e.g. "MONGODB_URI is not set").
   */
  skip?: string;
  /** Per-test timeout in ms (default 30 s; a remote store may need more). */
  timeout?: number;
};

/**
 * Declares the contract's tests for one adapter. `setup` runs once before
 * them and gives the store under test (empty or not: the tests do not care).
 */
export function storeContract(
  name: string,
  setup: () => Promise<StoreUnderTest>,
  options: StoreContractOptions = {},
): void {
  if (options.skip !== undefined) {
    // Printed by every reporter (the default one shows a skipped test only as a number).
    console.warn(`Store contract: ${name} SKIPPED: ${options.skip}`);
    describe.skip(`Store contract: ${name} (SKIPPED: ${options.skip})`, () => {
      it(`is not run: ${options.skip}`, () => {});
    });
    return;
  }

  describe(`Store contract: ${name}`, { timeout: options.timeout ?? 30_000 }, () => {
    let subject: StoreUnderTest | null = null;
    const store = (): Store => {
      if (!subject) throw new Error("the store's setup did not run or failed");
      return subject.store;
    };

    beforeAll(async () => {
      subject = await setup();
    }, options.timeout ?? 30_000);

    afterAll(async () => {
      await subject?.cleanup?.();
    }, options.timeout ?? 30_000);

    describeRoundTrips(store);
    describeRecordEvents(store);
    describeConversationTurns(store);
    describeFilters(store);
    describeStudyCounts(store);
    describePagination(store);
    describeStudies(store);
    describeIdentity(store);
    describeAssignments(store);
    describeWithdrawals(store);
    describeBudgets(store);
    describeStudyDefinitions(store);
    describeDownloads(store);
    describeStudyMonitor(store);
    describeAnswerProvenance(store);
    describeStudyMeasures(store);
    describeClickThrough(store);
    describeInputSignals(store);
    describeErrorsAndHealth(store);
    describeAttentionResults(store);
  });
}
