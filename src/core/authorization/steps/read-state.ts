import type { FrontChannelStep } from "../front-channel-draft.js";

/**
 * RFC 6749 §4.1.1 / §4.1.2.1 `state`: echoed in every response redirected to the client, errors
 * included, so it is read as soon as the redirect URI is trusted. A repeated `state` is refused by
 * the duplicate check that follows; echo none rather than pick one.
 */
export const readState: FrontChannelStep = (draft) => {
  draft.state = draft.params.isDuplicated("state") ? null : (draft.params.get("state") ?? null);
};
