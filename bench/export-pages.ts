/**
 * Keyset paging: the 1000th page of 100 records costs what the first does.
 * Seeds 100,500 events, walks to page 1000 once, then times page 1 and
 * page 1000 alternately.
 *
 * The events come from 50 participants, as before, one startSession each
 * (a batch must be all its caller's events, so each batch of 500 is one
 * participant's, in turn, and each participant has the one session the
 * server issued). The timed pages are read by the researcher, unfiltered,
 * so how the events are spread over participants does not change them.
 */
import type { Participant } from "./participant";
import { seedEvents } from "./seed-events";
import { type Gql, median } from "./store-writes";

type Page = { data: { export: { pageInfo: { endCursor: string | null }; edges: unknown[] } } };

const PAGE = `query($after: String) { export(first: 100, after: $after) { pageInfo { endCursor hasNextPage }
  edges { node { id receivedAt ... on EventRecord { eventType extraData } } } } }`;

export async function measureExport(
  gql: Gql,
  newParticipant: () => Promise<Participant>,
  pages = 1000,
  reps = 30,
) {
  const total = await seedEvents(gql, newParticipant, pages * 100 + 500);
  let after: string | null = null;
  let cursorBeforeLast: string | null = null;
  for (let p = 1; p < pages; p++) {
    const page = (await gql(PAGE, { after })) as Page;
    after = page.data.export.pageInfo.endCursor;
    if (p === pages - 1) cursorBeforeLast = after;
  }
  const first: number[] = [];
  const last: number[] = [];
  for (let r = 0; r < reps; r++) {
    let t = performance.now();
    await gql(PAGE, { after: null });
    first.push(performance.now() - t);
    t = performance.now();
    const page = (await gql(PAGE, { after: cursorBeforeLast })) as Page;
    last.push(performance.now() - t);
    if (page.data.export.edges.length !== 100) throw new Error("page 1000 is not full: seeding failed");
  }
  return { records: total, firstMs: median(first), lastMs: median(last) };
}
