/**
 * logEvents of 500 events (one store round trip) against the baseline of the
 * same 500 events sent one logEvent at a time, on the same server in the same run.
 * Each repetition is one participant (one startSession, not timed), whose
 * token every call carries: a batch must hold the caller's own events only.
 */
import type { Participant } from "./participant";

/** A GraphQL call, as the participant `as` when given (else as the researcher). */
export type Gql = (query: string, variables?: Record<string, unknown>, as?: Participant) => Promise<unknown>;

const event = (participant: Participant, run: string, i: number) => ({
  eventId: `bench-${run}-${i}`,
  userId: participant.userId,
  sessionId: participant.sessionId,
  eventType: "SCROLL",
  extraData: { scrollDepth: (i % 100) / 100 },
});

const LOG_EVENTS = "mutation($e: [LogEventInput!]!) { logEvents(events: $e) { accepted duplicates } }";
const LOG_EVENT = "mutation($e: LogEventInput!) { logEvent(input: $e) { duplicate } }";

export async function measureWrites(gql: Gql, newParticipant: () => Promise<Participant>, reps = 5) {
  const batch: number[] = [];
  const single: number[] = [];
  for (let r = 0; r < reps; r++) {
    const run = `${Date.now()}-${r}`;
    const participant = await newParticipant();
    const events = Array.from({ length: 500 }, (_, i) => event(participant, `b${run}`, i));
    let t = performance.now();
    await gql(LOG_EVENTS, { e: events }, participant);
    batch.push(performance.now() - t);
    if (r < 2) {
      t = performance.now();
      for (let i = 0; i < 500; i++)
        await gql(LOG_EVENT, { e: event(participant, `s${run}`, i) }, participant);
      single.push(performance.now() - t);
    }
  }
  return { batchMs: median(batch), singleMs: median(single) };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}
