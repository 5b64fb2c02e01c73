/**
 * The journey of one link (apps/links reports/journey.ts, `GET /api/links/:id/journey`): previews drawn
 * by chat apps -> human clicks -> visitors landing through a click -> copy-paste re-shares by generation
 * -> conversions tied to the link's share tree. The shape the links service computes and the admin UI
 * draws; only types, so the browser bundle loads nothing from here.
 */

type Counts = Record<string, number>;

export interface Journey {
  unfurls: { total: number; byApp: Counts };
  clicks: { human: number };
  /** Visitors the site tracker saw land through a click of this link (generation 0). */
  landingVisitors: number;
  reshares: {
    /** Copy-paste re-shares: distinct (arriving visitor, share token) pairs. */
    total: number;
    /** Of which dark: no referrer (or a private channel's), the URL was pasted somewhere private. */
    dark: number;
    /** Distinct visitors who arrived through a share token. */
    visitors: number;
    /** Re-shares by generation: 1 = through a landing visitor's token, 2 = through a generation-1 visitor's, ... */
    byGeneration: Counts;
  };
  /** Distinct visitors of the share tree in the range: landing visitors and arrived visitors. */
  visitors: number;
  /**
   * reshares.total / visitors: how many further visitors one visitor of this link's tree brought in by
   * copy-pasting its URL, on average, counting every visitor of the tree (leaves included) in the
   * denominator. null when the tracker saw no visitor.
   */
  resharesPerVisitor: number | null;
  conversions: {
    total: number;
    /** By the generation of the converting visitor; a conversion known only by its click id is generation 0. */
    byGeneration: Counts;
    byType: Counts;
    /** Sum of conversion values per currency ("unknown" when none was given). */
    value: Record<string, number>;
  };
}

