import type { Deps } from "../deps";
import { DomainError, ErrorCode } from "../errors";
import type { ExportFilter } from "../store/store";

/**
 * An export filter (GraphQL `export`, the downloads) that names a study or
 * condition this deployment has never known matches nothing by mistake, not
 * by design: it is refused with BAD_USER_INPUT naming the value. A value is
 * known when the catalog has it (any study's conditions, for a condition) or
 * when any stored record or assignment carries it, so a retired study,
 * removed from studies/, stays exportable. The store is asked only about
 * values the catalog lacks.
 */
export async function checkFilterNames(
  deps: Pick<Deps, "store" | "studies">,
  filter: Pick<ExportFilter, "studyIds" | "conditions">,
): Promise<void> {
  const studies = deps.studies.list();
  const catalogStudies = new Set(studies.map((s) => s.id));
  const catalogConditions = new Set(studies.flatMap((s) => s.conditions.map((c) => c.id)));
  const studyIds = (filter.studyIds ?? []).filter((id) => !catalogStudies.has(id));
  const conditions = (filter.conditions ?? []).filter((c) => !catalogConditions.has(c));
  if (studyIds.length === 0 && conditions.length === 0) return;
  const stored = await deps.store.storedStudyValues({ studyIds, conditions });
  const unknownStudies = studyIds.filter((id) => !stored.studyIds.includes(id));
  const unknownConditions = conditions.filter((c) => !stored.conditions.includes(c));
  const problems = [
    ...unknownStudies.map((id) => `studyIds: ${JSON.stringify(id)} is no study of this deployment`),
    ...unknownConditions.map((c) => `conditions: ${JSON.stringify(c)} is no condition of any study`),
  ];
  if (problems.length === 0) return;
  const known = studies.map((s) => `${s.id} (${s.conditions.map((c) => c.id).join(", ")})`).join("; ");
  throw new DomainError(
    ErrorCode.BAD_USER_INPUT,
    `${problems.join("; ")}, and no stored record has it, so the filter would match nothing. Known studies (conditions): ${known || "none"}.`,
    { unknownStudyIds: unknownStudies, unknownConditions },
  );
}
