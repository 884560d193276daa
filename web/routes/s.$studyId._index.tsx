import { type ActionFunctionArgs, json, type LoaderFunctionArgs, redirect } from "@remix-run/cloudflare";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { pageError, retryHeaders } from "../chat/chat.server";
import { ApiCallError } from "../graphql/client.server";
import { EnrollDocument, StudyAvailableDocument, WithdrawnDocument } from "../graphql/generated/graphql";
import { renderStudyText } from "../markdown/render.server";
import { studyMeta } from "../study/meta";
import { embedOf, logStep, stepPath, visitStudy } from "../study/study.server";
import { StudyLayout, StudyText } from "../study/study-layout";

/**
 * A study's link: /s/<id> (with the panel's parameters, such as Prolific's
 * PROLIFIC_PID, STUDY_ID and SESSION_ID: api/studies/panels.ts). The
 * consent page; a participant who already consented goes on to the chat.
 * MTurk's preview (a HIT not yet accepted) sees what the study is and a
 * request to accept the HIT, and nothing of theirs is stored.
 */
/** What a participant who withdrew sees when they come back, on any device. */
const WITHDRAWN_MESSAGE =
  "You withdrew from this study, so you cannot take part in it again. Your records were deleted. Thank you for your time.";

/**
 * What a new participant sees of a study that takes nobody until its
 * researcher fixes it (status says why: a file changed without a new
 * version, an LLM not configured); the reason is for the researcher.
 */
const UNAVAILABLE_MESSAGE =
  "This study is not available at the moment: it takes no new participants. Thank you for your interest.";

/** What a worker previewing the HIT on MTurk sees instead of the consent form. */
const PREVIEW_MESSAGE =
  "This is a preview of the study. To take part, accept the HIT: the study then starts here, with its consent form.";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const visit = await visitStudy(request, context, params.studyId);
  const page = {
    title: visit.study.title,
    studyId: visit.study.id,
    embed: embedOf(visit),
    active: visit.study.active,
    withdrawn: false,
    unavailable: false,
    preview: false,
    consent: "",
  };
  // A preview stores nothing: no step, and the page has no tracker.
  if (visit.session.preview) return json({ ...page, preview: true }, { headers: visit.headers });
  if (visit.assignment) {
    // A participant whose part has ended sees their outcome's code again, on the finish page.
    const next = visit.assignment.outcome !== null ? "finish" : "chat";
    throw redirect(stepPath(visit, next), { headers: visit.headers });
  }
  if (!visit.study.active) return json(page, { headers: visit.headers });
  // Nothing is stored for a study that takes no new participants (not even consent_shown).
  const { study } = await visit.session.api
    .run(StudyAvailableDocument, { id: visit.study.id })
    .catch(pageError);
  if (study && !study.available) return json({ ...page, unavailable: true }, { headers: visit.headers });
  // A participant who withdrew is told at once, and nothing of theirs is stored (not even consent_shown).
  const { withdrawn } = await visit.session.api
    .run(WithdrawnDocument, { studyId: visit.study.id })
    .catch(pageError);
  if (withdrawn) return json({ ...page, withdrawn }, { headers: visit.headers });
  await logStep(visit, request, "consent_shown");
  return json({ ...page, consent: renderStudyText(visit.study.consent) }, { headers: visit.headers });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const visit = await visitStudy(request, context, params.studyId);
  if (visit.session.preview)
    return json({ error: PREVIEW_MESSAGE, final: true }, { status: 409, headers: visit.headers });
  const intent = (await request.formData()).get("intent");
  if (intent === "decline") {
    await logStep(visit, request, "consent_declined");
    throw redirect(stepPath(visit, "declined"), { headers: visit.headers });
  }
  if (intent !== "consent")
    return json(
      { error: "Please choose whether you agree.", final: false },
      { status: 400, headers: visit.headers },
    );
  try {
    await visit.session.api.run(EnrollDocument, {
      input: { studyId: visit.study.id, clientTime: new Date().toISOString() },
    });
  } catch (error) {
    if (
      error instanceof ApiCallError &&
      (error.code === "STUDY_CLOSED" || error.code === "WITHDRAWN" || error.code === "STUDY_UNAVAILABLE")
    ) {
      const message =
        error.code === "WITHDRAWN"
          ? WITHDRAWN_MESSAGE
          : error.code === "STUDY_UNAVAILABLE"
            ? UNAVAILABLE_MESSAGE
            : error.message;
      return json({ error: message, final: true }, { status: 409, headers: visit.headers });
    }
    if (error instanceof ApiCallError && error.code === "RATE_LIMITED") {
      return json(
        { error: error.message, final: false },
        { status: 429, headers: retryHeaders(error, visit.headers) },
      );
    }
    throw error;
  }
  throw redirect(stepPath(visit, "task"), { headers: visit.headers });
}

export const meta = studyMeta;

/** The consent page's h1 is the study's title, unless the page says that the participant cannot take part. */
const pageHeading = (page: {
  active: boolean;
  withdrawn: boolean;
  unavailable: boolean;
  preview: boolean;
}) =>
  page.preview
    ? "Preview of the study"
    : page.withdrawn
      ? "You have withdrawn"
      : !page.active
        ? "This study is closed"
        : page.unavailable
          ? "This study is unavailable"
          : undefined;

export default function Consent() {
  const page = useLoaderData<typeof loader>();
  const { title, studyId, embed, active, withdrawn, unavailable, preview, consent } = page;
  const refused = useActionData<typeof action>();
  return (
    <StudyLayout title={title} heading={pageHeading(page)} step="consent" embed={embed} studyId={studyId}>
      {preview ? (
        <p data-panel-preview>{PREVIEW_MESSAGE}</p>
      ) : withdrawn ? (
        <p role="alert">{WITHDRAWN_MESSAGE}</p>
      ) : active && unavailable ? (
        <p>{UNAVAILABLE_MESSAGE}</p>
      ) : active ? (
        <>
          <StudyText html={consent} />
          {refused?.error ? (
            <p className="error" role="alert">
              {refused.error}
            </p>
          ) : null}
          {refused?.final ? null : (
            <Form method="post" className="choices">
              <button type="submit" name="intent" value="consent" className="primary">
                I agree to take part
              </button>
              <button type="submit" name="intent" value="decline" className="secondary">
                I do not agree
              </button>
            </Form>
          )}
        </>
      ) : (
        <p>It takes no new participants. Thank you for your interest.</p>
      )}
    </StudyLayout>
  );
}
