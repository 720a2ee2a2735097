import type { ClientSettings } from "../../domain/client.js";
import { noOutbound, OutboundFailure } from "../../outbound/ports.js";
import type { CoreDeps } from "../context.js";
import { CallerError } from "../caller-error.js";

/**
 * OIDC Registration §5 (sector_identifier_uri): when a client registers a `sectorIdentifierUri`,
 * the document at it is fetched (through the outbound-fetch module: https to a public address,
 * no redirects, JSON, size cap, deadline) and must be a JSON array of URIs that contains every
 * redirect URI of the client; otherwise the registration is refused (A003202) with the reason.
 * Pairwise subjects then use the host of that URI as the sector (`sectorIdentifierOf`).
 *
 * The document is fetched at creation, and on update only when the URI or the redirect URIs
 * change: an unrelated change (a name, a logo) does not depend on the client's web server.
 * It is never cached, since its owner may have just edited it for this registration.
 */
export async function checkSectorIdentifier(
  deps: Pick<CoreDeps, "outbound" | "logger">,
  settings: ClientSettings,
  previous?: ClientSettings,
): Promise<void> {
  const uri = settings.sectorIdentifierUri;
  if (!uri) return;
  const unchanged =
    previous !== undefined &&
    previous.sectorIdentifierUri === uri &&
    settings.redirectUris.every((redirectUri) => previous.redirectUris.includes(redirectUri));
  if (unchanged) return;

  let document: unknown;
  try {
    document = await (deps.outbound ?? noOutbound).getJson({ url: uri, cache: "bypass" });
  } catch (error) {
    if (!(error instanceof OutboundFailure)) throw error;
    deps.logger.info({ sectorIdentifierUri: uri, reason: error.message }, "sector identifier document could not be fetched");
    throw refused(`could not be fetched: ${error.publicText}`);
  }
  if (!Array.isArray(document) || document.some((entry) => typeof entry !== "string")) throw refused("must hold a JSON array of URIs");
  const listed = new Set(document as string[]);
  const missing = settings.redirectUris.filter((redirectUri) => !listed.has(redirectUri));
  if (missing.length > 0) throw refused(missing.map((redirectUri) => `does not list the redirect URI ${redirectUri}`).join(", "));
}

const refused = (reason: string) => new CallerError("clientMetadataInvalid", `sectorIdentifierUri: ${reason}`);
