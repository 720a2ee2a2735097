import type { FrontChannelStep } from "./front-channel-draft.js";
import type { SharedStep } from "./request-draft.js";

/** The endpoints that check a request with the steps, one column each in `authorization-variants.ts`. */
const variantNames = ["authorization", "pushedAuthorization", "deviceAuthorization", "backchannelAuthentication"] as const;
export type VariantName = (typeof variantNames)[number];

/** The variants answered through the user's browser, whose drafts have redirect fields. */
export type FrontChannelVariant = "authorization" | "pushedAuthorization";

/** The variants answered to the client directly, whose drafts have no redirect fields. */
export type BackChannelVariant = Exclude<VariantName, FrontChannelVariant>;

/** A cell of the matrix: the step runs in that variant. */
export const X = true;
/** A cell of the matrix: the step does not run in that variant. */
export const _ = false;

export interface MatrixRow {
  readonly step: FrontChannelStep;
  /** The same step when it needs no redirect fields (`anyVariant`), for the back-channel columns; null for a front-channel-only step. */
  readonly sharedStep: SharedStep | null;
  readonly runsIn: ReadonlySet<VariantName>;
}

function row(step: FrontChannelStep, sharedStep: SharedStep | null, cells: Record<VariantName, boolean>): MatrixRow {
  return { step, sharedStep, runsIn: new Set(variantNames.filter((variant) => cells[variant])) };
}

/** A row whose step needs no redirect fields: any variant may run it. */
export function anyVariant(step: SharedStep, authorization: boolean, pushedAuthorization: boolean, deviceAuthorization: boolean, backchannelAuthentication: boolean): MatrixRow {
  return row(step, step, { authorization, pushedAuthorization, deviceAuthorization, backchannelAuthentication });
}

/**
 * A row whose step reads or fills redirect fields: its device and CIBA cells can only be `_`, so
 * the compiler refuses to run it where the draft has no redirect fields.
 */
export function frontChannelOnly(step: FrontChannelStep, authorization: boolean, pushedAuthorization: boolean, deviceAuthorization: typeof _, backchannelAuthentication: typeof _): MatrixRow {
  return row(step, null, { authorization, pushedAuthorization, deviceAuthorization, backchannelAuthentication });
}

/** The steps of one front-channel column, in row order. */
export function stepsOf(matrix: readonly MatrixRow[], variant: FrontChannelVariant): readonly FrontChannelStep[] {
  return matrix.filter((matrixRow) => matrixRow.runsIn.has(variant)).map((matrixRow) => matrixRow.step);
}

/**
 * The steps of one back-channel column, in row order, typed over the shared draft: only `anyVariant`
 * rows can be X there (`frontChannelOnly` forces `_`), so every one has its shared step.
 */
export function backChannelStepsOf(matrix: readonly MatrixRow[], variant: BackChannelVariant): readonly SharedStep[] {
  return matrix.flatMap((matrixRow) => (matrixRow.runsIn.has(variant) && matrixRow.sharedStep !== null ? [matrixRow.sharedStep] : []));
}
