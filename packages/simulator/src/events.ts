import { createHash } from "node:crypto";
import type { LanternEvent } from "@lantern/queue";
import type { Target } from "./targets.ts";
import type { Action, Answer } from "./world.ts";

/**
 * A world's actions as the raw events the services would have put on the queue, stamped with the
 * world's own times. Ids are the world's ids prefixed with the run, so the same world can be loaded
 * twice into one instance without colliding, and so a click's event id is its `lcid`, as in the
 * links service.
 */

export const idOf = (run: string, worldId: string) => `${run}_${worldId}`;
const maybe = (run: string, worldId: string | null) => (worldId === null ? null : idOf(run, worldId));

/** A stand-in for the links service's visitor hash (sha256 of a daily salt, the IP and the user agent). */
function visitorHash(run: string, ip: string, userAgent: string, ts: number): string {
  return createHash("sha256").update(`${run}|${Math.floor(ts / 86_400_000)}|${ip}|${userAgent}`).digest("hex");
}

/** Option id and free text of an answer, for the target survey. */
export function answerFields(answer: Answer, target: Target): { optionId: string | null; otherText: string | null; followUpText: string | null } {
  const s = target.survey;
  if (answer.kind === "dont_remember") {
    return s.dontRememberOptionId
      ? { optionId: s.dontRememberOptionId, otherText: null, followUpText: null }
      : { optionId: s.otherOptionId, otherText: "I don't remember", followUpText: null };
  }
  if (answer.kind === "option") {
    const optionId = s.optionByChannel.get(answer.channel);
    // A survey whose option asks no follow-up gets none (the survey service would refuse it).
    if (optionId) return { optionId, otherText: null, followUpText: s.followUpOptionIds.has(optionId) ? answer.followUp : null };
  }
  // Typed into "Other" (or the survey has no option for it): free text, classified by the worker.
  return { optionId: s.otherOptionId, otherText: answer.text, followUpText: null };
}

export function actionToEvent(a: Action, index: number, target: Target): LanternEvent {
  const { run } = target;
  const eventId = idOf(run, `e${index}`);
  const linkOf = (key: string) => {
    const link = target.links.get(key);
    if (!link) throw new Error(`no link was created for ${key}`);
    return link;
  };
  switch (a.type) {
    case "unfurl":
    case "bot": {
      const link = linkOf(a.link);
      return {
        id: eventId,
        ts: a.ts,
        type: "link.hit",
        linkId: link.id,
        slug: link.slug,
        served: a.type === "unfurl" ? "preview" : "redirect",
        userAgent: a.userAgent,
        referer: null,
        query: {},
        visitorHash: null,
        country: null,
        dnt: false,
      };
    }
    case "click": {
      const link = linkOf(a.link);
      return {
        id: idOf(run, a.click),
        ts: a.ts,
        type: "link.hit",
        linkId: link.id,
        slug: link.slug,
        served: "redirect",
        userAgent: a.userAgent,
        referer: a.referer,
        query: a.query,
        visitorHash: visitorHash(run, a.ip, a.userAgent, a.ts),
        country: a.country,
        dnt: false,
      };
    }
    case "landing":
      return {
        id: eventId,
        ts: a.ts,
        type: "tracker.landing",
        visitorId: idOf(run, a.visitor),
        lcid: idOf(run, a.click),
        shareToken: idOf(run, a.shareToken),
        page: a.page,
      };
    case "arrival":
      return {
        id: eventId,
        ts: a.ts,
        type: "tracker.arrival",
        shareToken: idOf(run, a.shareToken),
        visitorId: idOf(run, a.visitor),
        ownShareToken: idOf(run, a.ownShareToken),
        referrer: a.referrer,
        page: a.page,
        userAgent: a.userAgent,
      };
    case "visit":
      return { id: eventId, ts: a.ts, type: "tracker.visit", visitorId: idOf(run, a.visitor), referrer: a.referrer, page: a.page, userAgent: a.userAgent };
    case "conversion":
      return {
        id: idOf(run, a.order),
        ts: a.ts,
        type: "conversion",
        origin: a.origin,
        visitorId: maybe(run, a.visitor),
        lcid: maybe(run, a.click),
        shareToken: maybe(run, a.shareToken),
        respondentHash: null,
        conversion: { type: a.kind, value: a.value, currency: a.currency, externalId: idOf(run, a.order), occurredAt: a.ts },
      };
    case "survey.view":
      return {
        id: idOf(run, a.id),
        ts: a.ts,
        type: "survey.view",
        surveyId: target.survey.id,
        visitorId: maybe(run, a.visitor),
        lcid: maybe(run, a.click),
        placement: "widget",
      };
    case "survey.skip":
      return { id: idOf(run, a.id), ts: a.ts, type: "survey.skip", surveyId: target.survey.id, visitorId: maybe(run, a.visitor), lcid: maybe(run, a.click) };
    case "survey.answer": {
      const { optionId, otherText, followUpText } = answerFields(a.answer, target);
      return {
        id: idOf(run, a.id),
        ts: a.ts,
        type: "survey.response",
        surveyId: target.survey.id,
        optionId,
        otherText,
        followUpText,
        locale: a.locale,
        respondentHash: null,
        externalId: null,
        lcid: maybe(run, a.click),
        visitorId: maybe(run, a.visitor),
        shareToken: maybe(run, a.shareToken),
        idempotencyKey: null,
        conversion: { type: a.kind, value: a.value, currency: a.currency, externalId: idOf(run, a.order), occurredAt: a.conversionTs },
      };
    }
  }
}

/** Every action of a world as an event, in time order. */
export function worldEvents(actions: readonly Action[], target: Target): LanternEvent[] {
  return actions.map((a, i) => actionToEvent(a, i, target));
}
