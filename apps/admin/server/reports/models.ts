/** Attribution models and views: the reconciler's names, from @lantern/core. */
import { ATTRIBUTION_MODELS, ATTRIBUTION_VIEWS, type AttributionModel, type AttributionView } from "@lantern/core";

export const MODELS = ATTRIBUTION_MODELS;
export const VIEWS = ATTRIBUTION_VIEWS;
export type Model = AttributionModel;
export type View = AttributionView;
