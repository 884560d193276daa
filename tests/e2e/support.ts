/**
 * Shared helpers of the browser journeys: Chromium with stand-ins for the
 * external sites that answers cite, one fresh browser context (so one fresh
 * participant) per test that fails the test on a console error or an
 * uncaught exception, the chat page's actions, and the researchers' export.
 *
 * One file per idea under ./support/: env.ts (what global setup provided),
 * browser.ts (Chromium and the external sites), participant.ts, chat.ts,
 * export.ts, store.ts (the store behind the shared Worker), study.ts (the
 * demo study's path as a participant from Prolific walks it).
 */
export { externalPage, isLoopback, launchBrowser, type TestBrowser } from "./support/browser";
export { answerId, ask, turns, waitForHydration } from "./support/chat";
export { BASE_URL, COFFEE, RESEARCHER_TOKEN, SCREENSHOTS, STORE } from "./support/env";
export {
  byPanel,
  type EventRecord,
  type ExportedRecord,
  type ExportOptions,
  type ExportSource,
  eventsOf,
  exportRecords,
  type QueryRecord,
  queriesOf,
  waitForExport,
} from "./support/export";
export { newParticipant, type Participant, sessionOf } from "./support/participant";
export { dataApiFind, storeStatus } from "./support/store";
export {
  CONDITIONS,
  type ConditionId,
  conditionOf,
  DEMO,
  DEMO_STUDY_ID,
  enterStudy,
  interceptProlific,
  newVisitor,
  openStudyChat,
  PROLIFIC_STUDY,
  type ProlificVisitor,
  SOURCES_ANSWER,
  STIMULUS,
  stepOf,
  studyLink,
  studyPage,
  userIdOf,
  visitorIn,
} from "./support/study";
