import type { FrontChannelStep } from "./front-channel-draft.js";
import type { SharedStep } from "./request-draft.js";

/** The endpoints that check a request with the steps, one column each in `authorization-variants.ts`. */
const variantNames = ["authorization", "pushedAuthorization", "deviceAuthorization", "backchannelAuthentication"] as const;
export type VariantName = (typeof variantNames)[number];

/** The variants answered through the user's browser, whose drafts have redirect fields. */
export type FrontChannelVariant = "authorization" | "pushedAuthorization";

/** A cell of the matrix: the step runs in that variant. */
export const X = true;
/** A cell of the matrix: the step does not run in that variant. */
export const _ = false;

export interface MatrixRow {
  readonly step: FrontChannelStep;
  readonly runsIn: ReadonlySet<VariantName>;
}

function row(step: FrontChannelStep, cells: Record<VariantName, boolean>): MatrixRow {
  return { step, runsIn: new Set(variantNames.filter((variant) => cells[variant])) };
}

/** A row whose step needs no redirect fields: any variant may run it. */
export function anyVariant(step: SharedStep, authorization: boolean, pushedAuthorization: boolean, deviceAuthorization: boolean, backchannelAuthentication: boolean): MatrixRow {
  return row(step, { authorization, pushedAuthorization, deviceAuthorization, backchannelAuthentication });
}

/**
 * A row whose step reads or fills redirect fields: its device and CIBA cells can only be `_`, so
 * the compiler refuses to run it where the draft has no redirect fields.
 */
export function frontChannelOnly(step: FrontChannelStep, authorization: boolean, pushedAuthorization: boolean, deviceAuthorization: typeof _, backchannelAuthentication: typeof _): MatrixRow {
  return row(step, { authorization, pushedAuthorization, deviceAuthorization, backchannelAuthentication });
}

/** The steps of one front-channel column, in row order. */
export function stepsOf(matrix: readonly MatrixRow[], variant: FrontChannelVariant): readonly FrontChannelStep[] {
  return matrix.filter((matrixRow) => matrixRow.runsIn.has(variant)).map((matrixRow) => matrixRow.step);
}
