/**
 * The monitor's per-condition measures as the plots take them: plain types
 * with the shapes and names of the GraphQL fields on ConditionMonitor
 * (clickThrough, timeOnTask, questionsPerParticipant, scrollDepth,
 * conversions), so the route passes its query's result through unchanged.
 */

/** Sources at one rank: shown with answers, seen (visible > 0 ms), clicked; the rates are null when their denominator is 0. */
export type RankClickThrough = {
  rank: number;
  shown: number;
  seen: number;
  clicked: number;
  seenClicked: number;
  clickRate: number | null;
  seenClickRate: number | null;
};

export type ClickThrough = {
  shown: number;
  seen: number;
  clicked: number;
  seenClicked: number;
  byDisplayedRank: RankClickThrough[];
  byOriginalRank: RankClickThrough[];
};

/** Finished participants whose time from consent to finish is in [fromMs, toMs); toMs null: no upper end. */
export type DurationBucket = { fromMs: number; toMs: number | null; participants: number };

export type TimeOnTask = { finished: number; medianMs: number | null; buckets: DurationBucket[] };

/** Consented participants who asked `questions` questions (or at least that many, when atLeast). */
export type QuestionCount = { questions: number; atLeast: boolean; participants: number };

/** Participants whose deepest scroll (0..1) is in [from, to). */
export type DepthBucket = { from: number; to: number; participants: number };

/** participants: those with any scroll event. */
export type ScrollDepth = { participants: number; buckets: DepthBucket[] };

export type ConversionCount = { label: string; events: number; participants: number };

/** One condition's measures, with its consented participants (the denominator of questions and conversions). */
export type ConditionMeasures = {
  condition: string;
  consented: number;
  clickThrough: ClickThrough;
  timeOnTask: TimeOnTask;
  questionsPerParticipant: QuestionCount[];
  scrollDepth: ScrollDepth;
  conversions: ConversionCount[];
};
