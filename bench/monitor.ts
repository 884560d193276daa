/**
 * `tsx bench/monitor.ts [sizes...]` (default 100000 1000000): the study
 * monitor's server time on a study of that many events (and a tenth as many
 * answers, 1000 participants over the demo's three conditions: see
 * bench/seeded-study.ts), on the built Worker under wrangler dev. Prints
 * the median time of `studyMonitor` over GraphQL (every field the page asks
 * for: counts, measures, click-through, provenance), a same-run baseline (a
 * researcher's `studies` query on the same Worker: the request's fixed
 * cost), their ratio, and the growth from the first size to each next one.
 * Figures, not assertions.
 */

import { requireBuild, STUDY, sizesFromArgs, timeOf, withSeededStudy } from "./seeded-study";
import { median } from "./store-writes";

const REPS = 15;

/** Everything the monitor page asks for (web/graphql/operations/study-monitor.graphql): counts, measures, click-through, provenance. */
const RANKS = "rank shown seen clicked seenClicked clickRate seenClickRate";
const MONITOR = `query($s: ID!) { studyMonitor(studyId: $s) { consentShown consented duplicatePanelIds
  conditions { condition consented finished outcomes { outcome participants } answers failures stopped medianLatencyMs medianTtftMs
    tokens { answersWithUsage totalTokens }
    clickThrough { shown seen clicked seenClicked byDisplayedRank { ${RANKS} } byOriginalRank { ${RANKS} } }
    timeOnTask { finished medianMs buckets { fromMs participants } }
    questionsPerParticipant { questions participants } scrollDepth { participants buckets { from participants } }
    conversions { label events participants } }
  activity { hour answers events }
  provenance { condition model answers } } }`;
const BASELINE = "{ studies(includeInactive: true) { id definitionHash } }";

type Monitor = {
  studyMonitor: {
    consentShown: number;
    conditions: { condition: string; answers: number; medianLatencyMs: number; medianTtftMs: number }[];
  };
};

/** What the monitor said, in one line, to compare runs (and stores) by. */
const digest = ({ studyMonitor: m }: Monitor) =>
  `consent shown ${m.consentShown}; ${m.conditions
    .map((c) => `${c.condition}: ${c.answers} answers, medians ${c.medianLatencyMs} / ${c.medianTtftMs} ms`)
    .join("; ")}`;

async function measure(url: string): Promise<{ monitorMs: number; baselineMs: number; said: string }> {
  for (let w = 0; w < 3; w++) {
    await timeOf(url, MONITOR, { s: STUDY });
    await timeOf(url, BASELINE, {});
  }
  const monitor: number[] = [];
  const baseline: number[] = [];
  for (let r = 0; r < REPS; r++) {
    monitor.push((await timeOf(url, MONITOR, { s: STUDY })).ms);
    baseline.push((await timeOf(url, BASELINE, {})).ms);
  }
  const said = digest((await timeOf(url, MONITOR, { s: STUDY })).data as Monitor);
  return { monitorMs: median(monitor), baselineMs: median(baseline), said };
}

requireBuild();
console.log(
  `studyMonitor on D1 (median of ${REPS}; baseline: a researcher's studies query on the same Worker)`,
);
let first: number | null = null;
for (const events of sizesFromArgs()) {
  const { monitorMs, baselineMs, seedSeconds, said } = await withSeededStudy(events, measure);
  first ??= monitorMs;
  console.log(
    `  ${String(events).padStart(9)} events, ${events / 10} answers: monitor ${monitorMs.toFixed(1).padStart(7)} ms, baseline ${baselineMs.toFixed(1).padStart(5)} ms, x${(monitorMs / baselineMs).toFixed(1)} baseline, x${(monitorMs / first).toFixed(2)} the first size (seeded in ${seedSeconds.toFixed(1)} s)`,
  );
  console.log(`    ${said}`);
}
