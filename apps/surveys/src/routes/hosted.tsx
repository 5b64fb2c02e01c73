/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { quickKind } from "@lantern/core";
import { ApiError } from "@lantern/http";
import { surveyViewEvent } from "@lantern/queue";
import type { Context } from "hono";
import { Hono } from "hono";
import type { AppEnv, Services } from "../context.ts";
import { contextFromForm, contextFromQuery, hiddenFields } from "../hosted-context.ts";
import { newId } from "../ids.ts";
import { buildResponseEvent } from "../submission.ts";
import { chooseLocale, localize, publicSurvey, surveyLocales, type Survey } from "../survey-model.ts";
import { cleanId } from "../text.ts";
import { uiText } from "../ui-text.ts";
import { MessagePage, SurveyPage, type SurveyFormProps } from "../views/hosted-page.tsx";
import { HOSTED_CSP } from "../views/styles.ts";

async function html(c: Context, status: 200 | 400 | 404 | 410, page: unknown) {
  c.header("Content-Security-Policy", HOSTED_CSP);
  c.header("Referrer-Policy", "no-referrer");
  c.header("Cache-Control", "no-store");
  return c.html(`<!DOCTYPE html>${String(await page)}`, status);
}

/** The form's fields as strings (files and repeated fields are ignored); an unreadable body is an empty form. */
async function readForm(c: Context): Promise<Record<string, string>> {
  try {
    const body = await c.req.parseBody();
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(body)) if (typeof value === "string") out[key] = value;
    return out;
  } catch {
    return {};
  }
}

/** 404 or 410 page, or the survey when it takes answers. */
async function openSurvey(s: Services, c: Context): Promise<Survey | Response> {
  const survey = await s.store.getCached(c.req.param("id") ?? "");
  const locale = survey ? chooseLocale(surveyLocales(survey), survey.defaultLocale, c.req.query("locale"), c.req.header("accept-language")) : chooseLocale(["en", "es", "de", "fr", "pt"], "en", null, c.req.header("accept-language"));
  if (!survey) return html(c, 404, <MessagePage locale={locale} title={uiText(locale).notFound} />);
  if (survey.archivedAt !== null || !survey.active) return html(c, 410, <MessagePage locale={locale} title={uiText(locale).closed} />);
  return survey;
}

/**
 * The hosted survey page, /s/:id. Plain HTML and CSS: it works without JavaScript, posts back to itself
 * and answers 303 to a thank-you state so a reload does not post twice.
 */
export function hostedRoutes(s: Services) {
  const app = new Hono<AppEnv>();

  app.get("/:id", async (c) => {
    const survey = await openSurvey(s, c);
    if (survey instanceof Response) return survey;
    const locale = chooseLocale(surveyLocales(survey), survey.defaultLocale, c.req.query("locale"), c.req.header("accept-language"));
    const ui = uiText(locale);
    if (c.req.query("thanks") === "1") {
      return html(c, 200, <MessagePage locale={locale} title={localize(survey.thankYou, locale, survey.defaultLocale) || ui.thanks} status />);
    }
    const context = contextFromQuery((name) => c.req.query(name));
    // A view is a person looking: link previews (Slack, WhatsApp...), crawlers, HEAD requests and floods
    // get the page but would skew the response rate.
    if (c.req.method === "GET" && quickKind(c.req.header("user-agent")) === "human" && (await s.limits.countView(c))) {
      s.buffer.push(
        surveyViewEvent.parse({ id: newId(), ts: s.clock(), type: "survey.view", surveyId: survey.id, visitorId: context.visitorId, lcid: context.lcid, placement: "hosted" }),
      );
    }
    // The idempotency key makes a double-submitted form (double click, resent POST) count once.
    const hidden: [string, string][] = [...hiddenFields(context), ["idem", newId()]];
    return html(c, 200, <SurveyPage survey={publicSurvey(survey, locale, ui.thanks)} ui={ui} action={`/s/${survey.id}`} hidden={hidden} />);
  });

  app.post("/:id", async (c) => {
    const form = await readForm(c);
    const read = (name: string) => form[name];
    const thanks = (locale: string) => c.redirect(`/s/${encodeURIComponent(c.req.param("id"))}?thanks=1&locale=${encodeURIComponent(locale)}`, 303);
    const survey = await openSurvey(s, c);
    if (survey instanceof Response) return survey;
    const locale = chooseLocale(surveyLocales(survey), survey.defaultLocale, read("locale"), c.req.header("accept-language"));
    // A bot filled the hidden field: it sees the usual thank-you, nothing is kept.
    if (read("website")) return thanks(locale);

    const ui = uiText(locale);
    const optionId = cleanId(read("optionId"));
    const option = optionId ? survey.options.find((o) => o.id === optionId) : undefined;
    // Text typed in the "Other" box counts only with "Other" (or with no choice at all).
    const otherText = !option || option.kind === "other" ? (read("otherText") ?? null) : null;
    const followUpText = option?.followUp ? (read(`fu_${option.id}`) ?? null) : null;
    const idem = read("idem");
    const context = contextFromForm(read);
    const again = (error: string) => {
      const props: SurveyFormProps = {
        survey: publicSurvey(survey, locale, ui.thanks),
        ui,
        action: `/s/${survey.id}`,
        hidden: [...hiddenFields(context), ["idem", idem && /^[A-Za-z0-9_-]{8,64}$/.test(idem) ? idem : newId()]],
        error,
        chosen: option?.id ?? null,
        typed: Object.fromEntries(Object.entries(form).filter(([k, v]) => (k === "otherText" || k.startsWith("fu_")) && v.length <= 500)),
      };
      return html(c, 400, <SurveyPage {...props} />);
    };
    if ((otherText?.length ?? 0) > 500 || (followUpText?.length ?? 0) > 500) return again(ui.tooLong);
    if (optionId && !option) return again(ui.chooseAnswer);

    let event: ReturnType<typeof buildResponseEvent>;
    try {
      event = buildResponseEvent(
        survey,
        {
          optionId: option?.id ?? null,
          otherText,
          followUpText: followUpText?.trim() ? followUpText : null,
          locale,
          respondentHash: context.respondentHash,
          externalId: context.externalId,
          lcid: context.lcid,
          visitorId: context.visitorId,
          shareToken: context.shareToken,
          conversion: context.conversion,
          idempotencyKey: idem && /^[A-Za-z0-9_-]{8,64}$/.test(idem) ? idem : null,
        },
        s.clock(),
      );
    } catch (err) {
      if (err instanceof ApiError && err.status === 400) return again(ui.chooseAnswer);
      throw err;
    }
    s.buffer.push(event);
    return thanks(locale);
  });

  return app;
}
