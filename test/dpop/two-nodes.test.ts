import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { currentDpopNonce } from "../../src/core/dpop/dpop-nonce.js";
import { verifyDpopProof } from "../../src/core/dpop/verify-dpop-proof.js";
import { Sealer } from "../../src/crypto/secrets.js";
import type { Store } from "../../src/storage/ports.js";
import { makeDpopKey, makeDpopProof } from "../helpers/dpop-proof.js";
import { storeFactories, TestDatabases } from "../helpers/stores.js";
import { dpopService, expectRefusal, requestHtm, requestHtu, testNow } from "./dpop-setup.js";

/**
 * Two nodes (two Stores on one database, one master key): a proof accepted by one is a replay at the
 * other (RFC 9449 §11.1), and a nonce issued by one is accepted by the other (§8), on every dialect.
 */
describe.each(storeFactories)("DPoP across two nodes ($name)", (factory) => {
  const databases = new TestDatabases();
  afterAll(() => databases.disposeAll());

  async function nodes(): Promise<{ a: Store; b: Store; masterKey: Buffer }> {
    const database = await databases.create(factory);
    return { a: database.store, b: await database.openAnother(), masterKey: randomBytes(32) };
  }
  const node = (store: Store, masterKey: Buffer) => ({ store, sealer: new Sealer(masterKey), now: () => testNow });

  it("refuses at one node a proof the other accepted, and only one of two simultaneous uses", async () => {
    const { a, b, masterKey } = await nodes();
    const service = dpopService();
    await a.createService(service, []);
    const key = await makeDpopKey();
    const request = { htm: requestHtm, htu: requestHtu, nonceRequired: false };

    const proof = await makeDpopProof({ key, now: testNow });
    await expect(verifyDpopProof(node(a, masterKey), service, { ...request, proof })).resolves.toEqual({ jkt: key.jkt });
    await expectRefusal(verifyDpopProof(node(b, masterKey), service, { ...request, proof }), "invalid_dpop_proof", "dpopProofReplayed");

    const raced = await makeDpopProof({ key, now: testNow });
    const outcomes = await Promise.allSettled([a, b, a, b].map((store) => verifyDpopProof(node(store, masterKey), service, { ...request, proof: raced })));
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(1);
  });

  it("accepts at one node the nonce the other issued", async () => {
    const { a, b, masterKey } = await nodes();
    const service = dpopService({ dpopNonceRequired: true });
    await a.createService(service, []);
    const nonce = currentDpopNonce(node(a, masterKey), service);
    const proof = await makeDpopProof({ key: await makeDpopKey(), now: testNow, nonce });
    await expect(verifyDpopProof(node(b, masterKey), service, { proof, htm: requestHtm, htu: requestHtu, nonceRequired: true })).resolves.toHaveProperty("jkt");
  });
});
