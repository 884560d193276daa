/**
 * `tsx bench/export-count.ts [sizes...]` (default 100000 1000000): the
 * export's totalCount on a study of that many events and a tenth as many
 * answers (bench/seeded-study.ts), on the built Worker under wrangler dev.
 * For each filter (none; the study; the study from one time to another,
 * neither on an hour's turn), the median time of a page of 100 records with
 * totalCount against the same page without it (the same-run baseline),
 * their ratio, and the growth of the page with totalCount from the first
 * size to each next one. Checks each count against the seeded numbers.
 * Figures, not assertions.
 */

import {
  requireBuild,
  SEED_SPAN,
  SEED_START,
  STUDY,
  sizesFromArgs,
  timeOf,
  withSeededStudy,
} from "./seeded-study";
import { median } from "./store-writes";

const REPS = 15;

const iso = (seconds: number) => new Date((SEED_START + seconds) * 1000).toISOString();
/** From a third of the way to two thirds, each about 20 and 40 minutes past an hour. */
const FROM = iso(Math.floor(SEED_SPAN / 3) + 1234.567);
const TO = iso(Math.floor((2 * SEED_SPAN) / 3) + 2345.678);

const FILTERS: Record<string, Record<string, unknown> | null> = {
  unfiltered: null,
  "by study": { studyIds: [STUDY] },
  "study, from-to": { studyIds: [STUDY], from: FROM, to: TO },
};

const page = (withCount: boolean) => `query($f: ExportFilter) { export(first: 100, filter: $f) {
  ${withCount ? "totalCount" : ""} edges { node { id receivedAt } } } }`;

type Timed = Record<string, { pageMs: number; countMs: number; count: number }>;

async function measure(url: string): Promise<{ figures: Timed }> {
  const figures: Timed = {};
  for (const [name, filter] of Object.entries(FILTERS)) {
    const pageMs: number[] = [];
    const countMs: number[] = [];
    let count = 0;
    for (let r = 0; r < REPS + 3; r++) {
      const withCount = await timeOf(url, page(true), { f: filter });
      const without = await timeOf(url, page(false), { f: filter });
      count = (withCount.data as { export: { totalCount: number } }).export.totalCount;
      if (r < 3) continue;
      countMs.push(withCount.ms);
      pageMs.push(without.ms);
    }
    figures[name] = { pageMs: median(pageMs), countMs: median(countMs), count };
  }
  return { figures };
}

requireBuild();
console.log(
  `export totalCount on D1 (median of ${REPS}; baseline: the same page of 100 without totalCount; from-to ${FROM} to ${TO})`,
);
const first: Record<string, number> = {};
for (const events of sizesFromArgs()) {
  const { figures, seedSeconds } = await withSeededStudy(events, measure);
  const answers = Math.floor(events / 10);
  console.log(`  ${events} events, ${answers} answers (seeded in ${seedSeconds.toFixed(1)} s)`);
  for (const [name, f] of Object.entries(figures)) {
    first[name] ??= f.countMs;
    const all = events + answers;
    const check = name === "study, from-to" ? "" : f.count === all ? " (= all records)" : ` (NOT ${all})`;
    console.log(
      `    ${name.padEnd(15)} count ${String(f.count).padStart(8)}${check}: page+totalCount ${f.countMs.toFixed(1).padStart(6)} ms, page ${f.pageMs.toFixed(1).padStart(6)} ms, x${(f.countMs / f.pageMs).toFixed(2)} the page, x${(f.countMs / (first[name] ?? f.countMs)).toFixed(2)} the first size`,
    );
  }
}
