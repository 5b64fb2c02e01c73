// The survey editor: answers mapped to channels, "Other", "I don't remember", follow-ups, live preview.
import { cleanup, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import type { Survey, SurveyInput } from "../src/lib/types.ts";
import { defaultSurveyDraft, draftFromSurvey, type SurveyDraft } from "../src/lib/survey-form.ts";
import { SurveyEditor } from "../src/pages/surveys/SurveyEditor.tsx";
import { fakeServer, renderPage } from "./ui-harness.tsx";

afterEach(cleanup);

const small = (): SurveyDraft => {
  const d = defaultSurveyDraft();
  return { ...d, options: d.options.slice(0, 2) };
};

function stored(input: SurveyInput, id = "s1"): Survey {
  return {
    id, name: input.name ?? "", defaultLocale: "en", locales: ["en"], question: input.question as Record<string, string>, thankYou: null,
    randomize: input.randomize, active: input.active, createdAt: 1, updatedAt: 1, archivedAt: null,
    options: input.options.map((o, i) => ({ id: o.id ?? `o${i}`, kind: o.kind, label: o.label as Record<string, string>, channel: o.channel ?? null, source: o.source ?? null, followUp: (o.followUp as Record<string, string>) ?? null })),
    hostedUrl: `http://surveys.test/s/${id}`, embed: `<script src="http://surveys.test/widget.js" data-survey="${id}" async></script>`,
  };
}

const preview = () => screen.getByLabelText("Live preview of the survey");

describe("the survey editor", () => {
  it("adds an answer mapped to a channel with a follow-up, and the preview follows every change", async () => {
    const server = fakeServer().on("POST", "/api/surveys", (req) => ({ status: 201, body: stored(req.body as SurveyInput) }));
    let saved: Survey | null = null;
    const user = userEvent.setup({ delay: null });
    renderPage(<SurveyEditor initial={small()} onSaved={(s) => (saved = s)} />, { server, path: "/surveys/new" });

    await user.click(await screen.findByRole("button", { name: "+ Add answer" }));
    await user.type(screen.getByLabelText("Answer 3"), "Heard it on a podcast");
    await user.selectOptions(screen.getByLabelText("Channel of answer 3"), "podcast");
    await user.click(screen.getByRole("checkbox", { name: "Ask a follow-up for answer 3" }));
    await user.type(screen.getByLabelText("Follow-up question for answer 3"), "Which podcast?");

    const choice = within(preview()).getByRole("radio", { name: "Heard it on a podcast" });
    await user.click(choice);
    expect(within(preview()).getByLabelText("Which podcast?")).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Create survey" }));
    await expect.poll(() => server.sent("POST", "/api/surveys").length).toBe(1);
    const body = server.sent("POST", "/api/surveys")[0]!.body as SurveyInput;
    expect(body.question).toEqual({ en: "How did you hear about us?" });
    expect(body.randomize).toBe(true);
    expect(body.options.map((o) => o.kind)).toEqual(["option", "option", "option", "other", "dont_remember"]);
    expect(body.options[0]).toMatchObject({ kind: "option", label: { en: "A friend or colleague told me" }, channel: "word_of_mouth", followUp: null });
    expect(body.options[2]).toEqual({ kind: "option", label: { en: "Heard it on a podcast" }, channel: "podcast", source: null, followUp: { en: "Which podcast?" } });
    expect(body.options[3]).toMatchObject({ kind: "other", label: { en: "Other (please say)" }, channel: null });
    expect(body.options[4]).toMatchObject({ kind: "dont_remember", label: { en: "I don't remember" } });
    await expect.poll(() => saved?.id).toBe("s1");
  });

  it("offers “Other” with a text box in the preview, and leaves it out when turned off", async () => {
    const server = fakeServer().on("POST", "/api/surveys", (req) => ({ status: 201, body: stored(req.body as SurveyInput) }));
    const user = userEvent.setup({ delay: null });
    renderPage(<SurveyEditor initial={small()} onSaved={() => {}} />, { server, path: "/surveys/new" });

    await screen.findByLabelText("Live preview of the survey");
    await user.click(within(preview()).getByRole("radio", { name: "Other (please say)" }));
    expect(within(preview()).getByLabelText("Please tell us")).toBeInTheDocument();

    await user.click(screen.getByRole("checkbox", { name: /Offer “Other”/ }));
    expect(within(preview()).queryByRole("radio", { name: "Other (please say)" })).not.toBeInTheDocument();
    await user.click(screen.getByRole("checkbox", { name: /Offer “I don't remember”/ }));
    expect(within(preview()).getAllByRole("radio")).toHaveLength(2);

    await user.click(screen.getByRole("button", { name: "Create survey" }));
    await expect.poll(() => server.sent("POST", "/api/surveys").length).toBe(1);
    const body = server.sent("POST", "/api/surveys")[0]!.body as SurveyInput;
    expect(body.options.map((o) => o.kind)).toEqual(["option", "option"]);
  });

  it("lets the service suggest a channel, or store none, depending on the choice", async () => {
    const server = fakeServer().on("POST", "/api/surveys", (req) => ({ status: 201, body: stored(req.body as SurveyInput) }));
    const user = userEvent.setup({ delay: null });
    renderPage(<SurveyEditor initial={small()} onSaved={() => {}} />, { server, path: "/surveys/new" });
    await user.selectOptions(await screen.findByLabelText("Channel of answer 1"), "auto");
    await user.selectOptions(screen.getByLabelText("Channel of answer 2"), "none");
    await user.click(screen.getByRole("button", { name: "Create survey" }));
    await expect.poll(() => server.sent("POST", "/api/surveys").length).toBe(1);
    const body = server.sent("POST", "/api/surveys")[0]!.body as SurveyInput;
    expect(body.options[0]).not.toHaveProperty("channel");
    expect(body.options[1]).toMatchObject({ channel: null, source: null });
  });

  it("blocks saving an empty answer or a follow-up without a question, and says why", async () => {
    const server = fakeServer();
    const user = userEvent.setup({ delay: null });
    renderPage(<SurveyEditor initial={small()} onSaved={() => {}} />, { server, path: "/surveys/new" });
    await user.click(await screen.findByRole("button", { name: "+ Add answer" }));
    await user.click(screen.getByRole("checkbox", { name: "Ask a follow-up for answer 1" }));
    await user.clear(screen.getByLabelText("Question"));
    await user.click(screen.getByRole("button", { name: "Create survey" }));

    expect(screen.getByLabelText("Question")).toHaveAccessibleDescription("Write the question people will answer.");
    expect(screen.getByLabelText("Answer 3")).toHaveAccessibleDescription("Write the answer's text.");
    expect(screen.getByLabelText("Follow-up question for answer 1")).toHaveAccessibleDescription("Write the follow-up question, or turn it off.");
    expect(screen.getByText("Some fields need a look before saving.")).toBeInTheDocument();
    expect(server.sent("POST", "/api/surveys")).toHaveLength(0);
  });

  it("reorders and removes answers", async () => {
    const user = userEvent.setup({ delay: null });
    renderPage(<SurveyEditor initial={small()} onSaved={() => {}} />, { server: fakeServer(), path: "/surveys/new" });
    await user.click(await screen.findByRole("button", { name: "Move answer 2 up" }));
    expect(screen.getByLabelText("Answer 1")).toHaveValue("WhatsApp or another messaging app");
    await user.click(screen.getByRole("button", { name: "Remove answer 1" }));
    expect(screen.getByLabelText("Answer 1")).toHaveValue("A friend or colleague told me");
    expect(screen.queryByLabelText("Answer 2")).not.toBeInTheDocument();
  });

  it("saves an existing survey with PATCH, keeping option ids and the texts of other locales", async () => {
    const existing = stored({ question: { en: "How did you hear about us?", de: "Wie haben Sie von uns erfahren?" }, randomize: false, active: true, options: [{ id: "opt_a", kind: "option", label: { en: "A friend", de: "Ein Freund" }, channel: "word_of_mouth" }] }, "s9");
    const server = fakeServer().on("PATCH", "/api/surveys/s9", (req) => ({ body: stored(req.body as SurveyInput, "s9") }));
    const user = userEvent.setup({ delay: null });
    renderPage(<SurveyEditor initial={draftFromSurvey(existing)} onSaved={() => {}} />, { server, path: "/surveys/s9/edit" });
    const answer = await screen.findByLabelText("Answer 1");
    await user.clear(answer);
    await user.type(answer, "A friend or colleague");
    await user.click(screen.getByRole("button", { name: "Save survey" }));
    await expect.poll(() => server.sent("PATCH", "/api/surveys/s9").length).toBe(1);
    const body = server.sent("PATCH", "/api/surveys/s9")[0]!.body as SurveyInput;
    expect(body.question).toEqual({ en: "How did you hear about us?", de: "Wie haben Sie von uns erfahren?" });
    expect(body.options[0]).toMatchObject({ id: "opt_a", label: { en: "A friend or colleague", de: "Ein Freund" }, channel: "word_of_mouth" });
  });

  it("shows the surveys service's refusal", async () => {
    const server = fakeServer().on("POST", "/api/surveys", { status: 400, body: { error: { code: "validation_failed", message: 'options: at most one "other" option', requestId: "r" } } });
    const user = userEvent.setup({ delay: null });
    renderPage(<SurveyEditor initial={small()} onSaved={() => {}} />, { server, path: "/surveys/new" });
    await user.click(await screen.findByRole("button", { name: "Create survey" }));
    expect(await screen.findByRole("alert")).toHaveTextContent('options: at most one "other" option');
  });
});
