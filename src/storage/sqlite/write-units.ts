import type { Client, ClientSecretRecord } from "../../domain/client.js";
import type {
  ApiTokenRecord,
  AuthorizationCodeRecord,
  GrantRecord,
  SigningKeyRecord,
  TicketKind,
  TicketRecord,
} from "../../domain/records.js";
import type { Service } from "../../domain/service.js";
import type { ConsumeCodeResult, ExpiredCleanup, RotateRefreshResult, StoreWrites, TokenWrite, WriteMethodName } from "../ports.js";
import {
  clientSettingsJson,
  params,
  serviceSettingsJson,
  toAuthorizationCode,
  toGrant,
  toRefreshToken,
  toTicket,
} from "../rows.js";
import { revokedTokenWrite } from "../revoked-token-write.js";
import type { SqliteStatements } from "./sqlite-statements.js";

/** A store write as a write unit runs it: the same arguments, the result without the promise. */
type SynchronousWrites = {
  [K in WriteMethodName]: (...args: Parameters<StoreWrites[K]>) => Awaited<ReturnType<StoreWrites[K]>>;
};

/**
 * Every write of the SQLite store, one method per write of the ports (`StoreWrites`): SqliteStore
 * has no write code of its own and hands each call here unchanged. Each runs synchronously on
 * the connection it was built with, inside the savepoint the write batcher opens for it; the
 * same code runs on the serving thread (in-memory databases) or on the writer thread (files).
 * Arguments and results are plain data, so they can cross a thread boundary unchanged.
 */
export class SqliteWriteUnits implements SynchronousWrites {
  readonly #s: SqliteStatements;

  constructor(statements: SqliteStatements) {
    this.#s = statements;
  }

  createService(service: Service, keys: SigningKeyRecord[]): void {
    this.#s.run(
      "insertService",
      service.serviceId,
      service.issuer,
      serviceSettingsJson(service),
      service.createdAt,
      service.modifiedAt,
    );
    for (const key of keys) this.#s.run("insertSigningKey", ...params.signingKey(key));
  }

  updateService(service: Service): boolean {
    return this.#s.run("updateService", service.issuer, serviceSettingsJson(service), service.modifiedAt, service.serviceId) > 0;
  }

  deleteService(serviceId: number): boolean {
    return this.#s.run("deleteService", serviceId) > 0;
  }

  createApiToken(token: ApiTokenRecord): void {
    this.#s.run("insertApiToken", ...params.apiToken(token));
  }

  deleteApiToken(serviceId: number, id: string): boolean {
    return this.#s.run("deleteApiToken", serviceId, id) > 0;
  }

  createClient(client: Client, secret: ClientSecretRecord | null): void {
    this.#s.run(
      "insertClient",
      client.clientId,
      client.serviceId,
      client.clientIdAlias,
      client.developer ?? null,
      client.locked ? 1 : 0,
      secret?.secretHash ?? null,
      secret?.secretSealed ?? null,
      clientSettingsJson(client),
      client.createdAt,
      client.modifiedAt,
    );
  }

  updateClient(client: Client): boolean {
    return (
      this.#s.run(
        "updateClient",
        client.clientIdAlias,
        client.developer ?? null,
        client.locked ? 1 : 0,
        clientSettingsJson(client),
        client.modifiedAt,
        client.serviceId,
        client.clientId,
      ) > 0
    );
  }

  setClientSecret(serviceId: number, clientId: number, secret: ClientSecretRecord, modifiedAt: number): boolean {
    return this.#s.run("updateClientSecret", secret.secretHash, secret.secretSealed, modifiedAt, serviceId, clientId) > 0;
  }

  setClientLocked(serviceId: number, clientId: number, locked: boolean, modifiedAt: number): boolean {
    return this.#s.run("updateClientLocked", locked ? 1 : 0, modifiedAt, serviceId, clientId) > 0;
  }

  deleteClient(serviceId: number, clientId: number): boolean {
    return this.#s.run("deleteClient", serviceId, clientId) > 0;
  }

  useClientAssertionJti(serviceId: number, clientId: number, jti: string, expiresAt: number): boolean {
    return this.#s.run("insertClientAssertionJti", serviceId, clientId, jti, expiresAt) === 1;
  }

  addSigningKeys(keys: SigningKeyRecord[]): void {
    for (const key of keys) this.#s.run("insertSigningKey", ...params.signingKey(key));
  }

  setSigningKeyRetirement(serviceId: number, kid: string, retiresAt: number): number | null {
    const row = this.#s.get("updateSigningKeyRetirement", retiresAt, retiresAt, serviceId, kid);
    return row ? Number(row.retires_at_ms) : null;
  }

  recordSigningKeyUse(serviceId: number, kid: string, validUntil: number): void {
    this.#s.run("recordSigningKeyUse", validUntil, validUntil, validUntil, serviceId, kid, validUntil);
  }

  revokeSigningKey(serviceId: number, kid: string, now: number): boolean {
    return this.#s.run("revokeSigningKey", now, serviceId, kid) > 0;
  }

  saveTicket(ticket: TicketRecord): void {
    this.#s.run("insertTicket", ...params.ticket(ticket));
  }

  consumeTicket(serviceId: number, ticketHash: string, kind: TicketKind, now: number): TicketRecord | null {
    const row = this.#s.get("consumeTicket", serviceId, ticketHash, kind);
    if (!row) return null;
    const ticket = toTicket(row);
    return ticket.expiresAt > now ? ticket : null;
  }

  saveAuthorizationCode(code: AuthorizationCodeRecord, grant: GrantRecord): void {
    this.#s.run("insertGrant", ...params.grant(grant));
    this.#s.run("insertAuthorizationCode", ...params.authorizationCode(code));
  }

  consumeAuthorizationCode(serviceId: number, codeHash: string, clientId: number, now: number): ConsumeCodeResult {
    const row = this.#s.get("consumeAuthorizationCode", now, serviceId, codeHash, clientId, now);
    if (row) {
      const grant = this.#s.get("selectGrant", serviceId, row.grant_id);
      return { outcome: "consumed", code: toAuthorizationCode(row), grant: grant ? toGrant(grant) : null };
    }
    const state = this.#s.get("selectAuthorizationCodeState", serviceId, codeHash);
    if (state && state.consumed_at_ms !== null && state.client_id === clientId) return { outcome: "replayed", grantId: String(state.grant_id) };
    return { outcome: "unknown" };
  }

  saveTokens(write: TokenWrite): void {
    // A new grant cannot have been revoked; an existing one is looked at in this transaction.
    const { serviceId, grantId } = write.accessToken;
    const revoked = !write.grant && this.#s.get("selectGrantRevocation", serviceId, grantId)?.revoked_at_ms != null;
    this.#insertTokens(revoked ? revokedTokenWrite(write) : write);
  }

  #insertTokens(write: TokenWrite): void {
    if (write.grant) this.#s.run("insertGrant", ...params.grant(write.grant));
    if (write.refreshToken) this.#s.run("insertRefreshToken", ...params.refreshToken(write.refreshToken));
    this.#s.run("insertAccessToken", ...params.accessToken(write.accessToken));
  }

  rotateRefreshToken(serviceId: number, tokenHash: string, now: number, next: TokenWrite): RotateRefreshResult {
    const row = this.#s.get("rotateRefreshToken", now, serviceId, tokenHash, now);
    if (row) {
      // The UPDATE only matched under a live grant, in this transaction: no second look at it.
      this.#insertTokens(next);
      this.#s.run("revokeAccessTokensOfRefreshToken", now, row.grant_id, tokenHash, serviceId, next.accessToken.tokenHash);
      return { outcome: "rotated", previous: toRefreshToken(row) };
    }
    const state = this.#s.get("selectRefreshTokenState", serviceId, tokenHash);
    if (state && state.rotated_at_ms !== null) return { outcome: "replayed", grantId: String(state.grant_id) };
    return { outcome: "unknown" };
  }

  revokeGrant(serviceId: number, grantId: string, now: number): void {
    this.#s.run("revokeGrant", now, serviceId, grantId);
    this.#s.run("revokeAccessTokensOfGrant", now, grantId, serviceId);
    this.#s.run("revokeRefreshTokensOfGrant", now, grantId, serviceId);
    this.#s.run("deletePendingCodesOfGrant", grantId, serviceId);
  }

  revokeAccessToken(serviceId: number, tokenHash: string, now: number): boolean {
    return this.#s.run("revokeAccessToken", now, serviceId, tokenHash) > 0;
  }

  revokeAccessTokensOfSubject(serviceId: number, clientId: number, subject: string, now: number, keepTokenHash?: string): number {
    return this.#s.run("revokeAccessTokensOfSubject", now, clientId, subject, serviceId, now, keepTokenHash ?? "");
  }

  revokeAccessTokensOfRefreshToken(
    serviceId: number,
    grantId: string,
    refreshTokenHash: string,
    now: number,
    keepTokenHash?: string,
  ): number {
    return this.#s.run("revokeAccessTokensOfRefreshToken", now, grantId, refreshTokenHash, serviceId, keepTokenHash ?? "");
  }

  deleteExpired(now: number, limit: number): ExpiredCleanup {
    return {
      tickets: this.#s.run("deleteExpiredTickets", now, limit),
      authorizationCodes: this.#s.run("deleteExpiredAuthorizationCodes", now, limit),
      accessTokens: this.#s.run("deleteExpiredAccessTokens", now, limit),
      refreshTokens: this.#s.run("deleteExpiredRefreshTokens", now, limit),
      clientAssertionJtis: this.#s.run("deleteExpiredClientAssertionJtis", now, limit),
      grants: this.#s.run("deleteFinishedGrants", limit),
    };
  }
}

/** The name of one write intent: one of the ports' writes. */
export type WriteUnitName = WriteMethodName;

export type WriteUnitArgs<K extends WriteUnitName> = Parameters<StoreWrites[K]>;
export type WriteUnitResult<K extends WriteUnitName> = Awaited<ReturnType<StoreWrites[K]>>;

/** Every write unit's name, read off the class, so the store's dispatch and the tests need no list kept by hand. */
export const writeUnitNames: readonly WriteUnitName[] = Object.getOwnPropertyNames(SqliteWriteUnits.prototype).filter(
  (name) => name !== "constructor",
) as WriteUnitName[];

/** One queued write: which intent, with which arguments. */
export interface WriteRequest<K extends WriteUnitName = WriteUnitName> {
  name: K;
  args: WriteUnitArgs<K>;
}

/** Runs one request on `units` (inside whatever transaction the caller has open). */
export function runWriteRequest(units: SqliteWriteUnits, request: WriteRequest): unknown {
  const method = units[request.name] as (...args: unknown[]) => unknown;
  return method.apply(units, request.args as unknown[]);
}

/** Where the store's writes go: committed in groups, settled only once durable. */
export interface SqliteWriter {
  run<K extends WriteUnitName>(name: K, args: WriteUnitArgs<K>): Promise<WriteUnitResult<K>>;
  /** SQLite's automatic checkpoint threshold for the writing connection (0 while a background checkpointer runs). */
  setAutocheckpoint(pages: number): void;
  /** Commits what is queued, then stops accepting work. */
  close(): Promise<void>;
}
