import { channelOf, isChannelKey } from "../channels.ts";
import { type DarkTest, defaultIsDark, selfReportRule, selfReportTouchpoint, sortReasons } from "./evidence.ts";
import { lastNonDirectIndex, modelWeights, TIME_DECAY_HALF_LIFE_DAYS } from "./models.ts";
import {
  ATTRIBUTION_MODELS,
  type AttributionView,
  type ChannelDecision,
  type ConversionRecord,
  type CreditRow,
  type DarkReason,
  type ResponseRecord,
  RULESET_VERSION,
  type StoredPath,
  type Touchpoint,
} from "./types.ts";

export interface ReconcileInput {
  conversion: ConversionRecord;
  /** What software saw, in time order (see softwareTouchpoints). */
  touchpoints: readonly Touchpoint[];
  /** The answer tied to this conversion, if any (see attachResponses). */
  response: ResponseRecord | null;
  isDark?: DarkTest;
  halfLifeDays?: number;
}

export interface ReconcileResult {
  conversionId: string;
  ts: number;
  value: number | null;
  softwarePath: Touchpoint[];
  /** The answer as a touchpoint at conversion time; null without an answer or when it names no channel. */
  selfReport: Touchpoint | null;
  blendedPath: Touchpoint[];
  software: ChannelDecision;
  /** The answer's channel; null when there is no answer or it names no channel. */
  self: ChannelDecision | null;
  blended: ChannelDecision;
  responded: boolean;
  dark: boolean;
  darkReasons: DarkReason[];
  /** The short link (and its campaign) behind the deciding software touchpoint. */
  linkId: string | null;
  campaign: string | null;
  credits: CreditRow[];
  /** The rule that decided the blended channel. */
  rule: string;
  rulesetVersion: string;
  path: StoredPath;
}

/** Channels software cannot see at all: dark ones, and podcasts, events and offline media. */
function untrackable(channel: string, isDark: DarkTest): boolean {
  return isDark(channel) || (isChannelKey(channel) && channelOf(channel).group === "untracked");
}

function softwareDecision(path: readonly Touchpoint[]): { decision: ChannelDecision; deciding: Touchpoint | null } {
  if (path.length === 0) return { decision: { channel: "direct", source: null, rule: "software:none" }, deciding: null };
  const tp = path[lastNonDirectIndex(path)]!;
  return { decision: { channel: tp.channel, source: tp.source, rule: tp.rule }, deciding: tp };
}

/**
 * The blended channel of one conversion, in this order:
 * 1. no answer naming a channel: what software saw ("blended:software_only", or "blended:no_evidence");
 * 2. software saw nothing but direct: the answer ("blended:self_report_over_direct");
 * 3. both name the same channel ("blended:agree");
 * 4. both dark: software, which names the app ("blended:software_dark_confirmed");
 * 5. the answer names a channel tracking cannot see (dark, podcast, events, offline) while software saw
 *    a trackable one, typically the search or visit that came after: the answer ("blended:self_report_untrackable");
 * 6. otherwise (the answer names a trackable channel): software, which measured it ("blended:software_over_self_report").
 */
function blendedDecision(software: ChannelDecision, softwareEmpty: boolean, self: Touchpoint | null, isDark: DarkTest): ChannelDecision {
  const swDirect = softwareEmpty || software.channel === "direct";
  if (!self) return { channel: software.channel, source: software.source, rule: softwareEmpty ? "blended:no_evidence" : "blended:software_only" };
  const fromSelf = (rule: string): ChannelDecision => ({ channel: self.channel, source: self.source, rule });
  const fromSoftware = (rule: string): ChannelDecision => ({ channel: software.channel, source: software.source, rule });
  if (swDirect && !self.dark && self.channel === "direct") return fromSelf("blended:agree");
  if (swDirect) return fromSelf("blended:self_report_over_direct");
  if (self.channel === software.channel) return { channel: software.channel, source: software.source ?? self.source, rule: "blended:agree" };
  if (self.dark && isDark(software.channel)) return fromSoftware("blended:software_dark_confirmed");
  if (untrackable(self.channel, isDark)) return fromSelf("blended:self_report_untrackable");
  return fromSoftware("blended:software_over_self_report");
}

function creditsFor(view: AttributionView, path: readonly Touchpoint[], conversion: ConversionRecord, halfLifeDays: number, rows: CreditRow[]): void {
  const convValue = conversion.value;
  for (const model of ATTRIBUTION_MODELS) {
    if (path.length === 0) {
      // Nothing seen: the whole conversion goes to direct, so that every conversion is credited once.
      rows.push({ view, model, position: 0, touchTs: conversion.ts, channel: "direct", source: null, credit: 1, value: convValue, rule: "software:none", rulesetVersion: RULESET_VERSION });
      continue;
    }
    const weights = modelWeights(model, path, conversion.ts, halfLifeDays);
    for (let position = 0; position < weights.length; position++) {
      const credit = weights[position]!;
      if (credit <= 0) continue;
      const tp = path[position]!;
      rows.push({
        view,
        model,
        position,
        touchTs: tp.ts,
        channel: tp.channel,
        source: tp.source,
        credit,
        value: convValue === null ? null : credit * convValue,
        rule: tp.rule,
        rulesetVersion: RULESET_VERSION,
      });
    }
  }
}

/**
 * Reconciles one conversion: the software path, the self-report, the blended path (the answer as
 * one more touchpoint at conversion time), the channel of each view with the rule that decided it,
 * whether it is dark social and why, and the credits of every view x model (each adding up to 1).
 * The self-reported view has no credits when there is no answer naming a channel: non-respondents
 * are extrapolated by the estimates, never invented here.
 */
export function reconcileConversion(input: ReconcileInput): ReconcileResult {
  const { conversion, response } = input;
  const isDark = input.isDark ?? defaultIsDark;
  const halfLifeDays = input.halfLifeDays ?? TIME_DECAY_HALF_LIFE_DAYS;
  const softwarePath = [...input.touchpoints];
  const selfReport = response ? selfReportTouchpoint(response, conversion.ts, isDark) : null;
  const blendedPath = selfReport ? [...softwarePath, selfReport] : softwarePath;

  const { decision: software, deciding } = softwareDecision(softwarePath);
  const self = selfReport ? { channel: selfReport.channel, source: selfReport.source, rule: selfReport.rule } : null;
  const blended = blendedDecision(software, softwarePath.length === 0, selfReport, isDark);

  const reasons: DarkReason[] = [];
  for (const t of blendedPath) if (t.dark) reasons.push(...t.evidence.darkReasons);
  let linkTouch: Touchpoint | null = deciding?.evidence.linkId ? deciding : null;
  for (let i = softwarePath.length - 1; linkTouch === null && i >= 0; i--) if (softwarePath[i]!.evidence.linkId) linkTouch = softwarePath[i]!;

  const credits: CreditRow[] = [];
  creditsFor("software", softwarePath, conversion, halfLifeDays, credits);
  if (selfReport) creditsFor("self_reported", [selfReport], conversion, halfLifeDays, credits);
  creditsFor("blended", blendedPath, conversion, halfLifeDays, credits);

  return {
    conversionId: conversion.id,
    ts: conversion.ts,
    value: conversion.value,
    softwarePath,
    selfReport,
    blendedPath,
    software,
    self,
    blended,
    responded: response !== null,
    dark: blendedPath.some((t) => t.dark),
    darkReasons: sortReasons(reasons),
    linkId: linkTouch?.evidence.linkId ?? null,
    campaign: linkTouch?.evidence.campaign ?? null,
    credits,
    rule: blended.rule,
    rulesetVersion: RULESET_VERSION,
    path: {
      touchpoints: blendedPath,
      rules: { software: software.rule, selfReport: response ? selfReportRule(response) : null, blended: blended.rule },
    },
  };
}
