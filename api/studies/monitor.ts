import type { Deps } from "../deps";
import { emptyClickThrough } from "../store/click-through-rows";
import { emptyMeasures } from "../store/measures-rows";
import { emptyCondition } from "../store/monitor-rows";
import type { ClickThrough, ConditionMeasures, ConditionMonitor, StudyMonitor } from "../store/store";
import type { Study } from "./definition";
import { studyOrError } from "./participants";

/**
 * A study's live monitor for researchers: the store's counts (studyMonitor)
 * and participant measures (studyMeasures)
 * beside the definition's conditions, with the balance of assignment
 * against the target weights. Every condition of the definition is listed
 * (zeros before anyone arrives), in the definition's order, then any that
 * only stored records name (a condition since removed).
 */
export type ConditionBalance = ConditionMonitor &
  ConditionMeasures & {
    /** False for a condition that records name but the deployed definition no longer has. */
    inDefinition: boolean;
    weight: number | null;
    /** weight / the sum of the weights; null outside the definition. */
    targetShare: number | null;
    /** consented / all consented participants of the study; null while there are none. */
    share: number | null;
    /** answers / consented; null while nobody consented. */
    answersPerParticipant: number | null;
    /** Its click-through (Store.studyClickThrough): read when first asked for, once for every condition. */
    clickThrough: () => Promise<ClickThrough>;
  };

export type StudyMonitorView = Omit<StudyMonitor, "conditions"> & {
  study: Study;
  conditions: ConditionBalance[];
  consented: number;
};

export async function studyMonitor(
  deps: Pick<Deps, "studies" | "store">,
  studyId: string,
): Promise<StudyMonitorView> {
  const study = studyOrError(deps, studyId);
  const [monitor, measures] = await Promise.all([
    deps.store.studyMonitor(study.id),
    deps.store.studyMeasures(study.id),
  ]);
  const measured = new Map(measures.map((m) => [m.condition, m]));
  const stored = new Map(monitor.conditions.map((c) => [c.condition, c]));
  const totalWeight = study.conditions.reduce((sum, c) => sum + c.weight, 0);
  const consented = monitor.conditions.reduce((sum, c) => sum + c.consented, 0);
  let clickThrough: Promise<Map<string, ClickThrough>> | undefined;
  const clickThroughOf = (condition: string) => async () => {
    clickThrough ??= deps.store
      .studyClickThrough(study.id)
      .then((list) => new Map(list.map((c) => [c.condition, c])));
    return (await clickThrough).get(condition) ?? emptyClickThrough();
  };
  const balance = (counts: ConditionMonitor, weight: number | null): ConditionBalance => ({
    ...(measured.get(counts.condition) ?? emptyMeasures(counts.condition)),
    ...counts,
    inDefinition: weight !== null,
    weight,
    targetShare: weight === null || totalWeight === 0 ? null : weight / totalWeight,
    share: consented === 0 ? null : counts.consented / consented,
    answersPerParticipant: counts.consented === 0 ? null : counts.answers / counts.consented,
    clickThrough: clickThroughOf(counts.condition),
  });
  const defined = new Set(study.conditions.map((c) => c.id));
  const conditions = [
    ...study.conditions.map((c) => balance(stored.get(c.id) ?? emptyCondition(c.id), c.weight)),
    ...monitor.conditions.filter((c) => !defined.has(c.condition)).map((c) => balance(c, null)),
  ];
  return { ...monitor, study, conditions, consented };
}
