import type { Participant } from "./participant";
import type { Gql } from "./store-writes";

/**
 * Seeds `total` BROWSE events (rounded up to batches of 500) from 50
 * participants, one startSession each: a batch must be all its caller's
 * events, so each batch of 500 is one participant's, in turn.
 */
const SEED_PARTICIPANTS = 50;
const BATCH = 500;

export async function seedEvents(gql: Gql, newParticipant: () => Promise<Participant>, total: number) {
  const seedRun = Date.now();
  const participants: Participant[] = [];
  for (let p = 0; p < SEED_PARTICIPANTS; p++) participants.push(await newParticipant());
  let seeded = 0;
  for (let b = 0; b * BATCH < total; b++) {
    const participant = participants[b % participants.length] as Participant;
    const events = Array.from({ length: BATCH }, (_, i) => ({
      eventId: `seed-${seedRun}-${b}-${i}`,
      userId: participant.userId,
      sessionId: participant.sessionId,
      eventType: "BROWSE",
      extraData: { kind: "page" },
    }));
    await gql(
      "mutation($e: [LogEventInput!]!) { logEvents(events: $e) { accepted } }",
      { e: events },
      participant,
    );
    seeded += BATCH;
  }
  return seeded;
}
