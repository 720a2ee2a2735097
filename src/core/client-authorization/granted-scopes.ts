import type { Client } from "../../domain/client.js";
import type { GrantedScopesRecord } from "../../domain/records.js";
import { findClientByIdentifier } from "../clients/find-managed-client.js";
import type { CoreDeps } from "../context.js";
import { findService } from "../services/find-service.js";
import { oneSubject } from "./subject.js";

/**
 * `/client/granted_scopes/get` and `/delete`: the remembered consent of a user to a client (Authlete's
 * "granted scopes"), which a login server reads to skip the consent page when a request asks for no
 * more than the user agreed to before. It is recorded at each consent (rememberConsent) and outlives
 * the tokens; forgetting it leaves the tokens as they are.
 */

const subjectCodes = { missing: "grantedScopesSubjectMissing", conflicting: "grantedScopesSubjectConflict" } as const;

export interface GrantedScopesLookup {
  client: Client;
  subject: string;
  /** Null when no consent is recorded (never given, or forgotten). */
  record: GrantedScopesRecord | null;
}

export async function getGrantedScopes(
  deps: Pick<CoreDeps, "store">,
  serviceId: number,
  clientIdentifier: string,
  subjects: ReadonlyArray<string | null | undefined>,
): Promise<GrantedScopesLookup> {
  await findService(deps, serviceId);
  const client = await findClientByIdentifier(deps, serviceId, clientIdentifier);
  const subject = oneSubject(subjects, subjectCodes);
  return { client, subject, record: await deps.store.getGrantedScopes(serviceId, client.clientId, subject) };
}

/** Forgets the record; true when there was one. */
export async function deleteGrantedScopes(
  deps: Pick<CoreDeps, "store">,
  serviceId: number,
  clientIdentifier: string,
  subjects: ReadonlyArray<string | null | undefined>,
): Promise<{ client: Client; deleted: boolean }> {
  await findService(deps, serviceId);
  const client = await findClientByIdentifier(deps, serviceId, clientIdentifier);
  const subject = oneSubject(subjects, subjectCodes);
  return { client, deleted: await deps.store.deleteGrantedScopes(serviceId, client.clientId, subject) };
}
