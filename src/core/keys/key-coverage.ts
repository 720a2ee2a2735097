/**
 * A JWT with no `exp` (a signed UserInfo response, an RFC 9701 introspection response) is verified
 * by its recipient on receipt; its key stays published this long after signing so a relying party
 * that fetches the JWK Set on seeing the `kid` still finds it.
 */
export const UNEXPIRING_JWT_GRACE_MS = 60_000;

/**
 * Keeps one signing key's stored `signedUntil` at or beyond the expiry of everything it signed, so
 * a rotation never retires the key (and relying parties never lose it) while a token it signed is
 * still valid. A signature waits for its expiry to be stored before the token is handed out; one
 * write serves every signature it covers, and JWT expiries are whole seconds, so a busy key writes
 * about once a second.
 */
export class KeyCoverage {
  #covered: number;
  #wanted = 0;
  #writing: Promise<void> | null = null;

  constructor(
    stored: number | null,
    private readonly write: (validUntil: number) => Promise<void>,
  ) {
    this.#covered = stored ?? 0;
  }

  /** A fresh read of the key may show a later `signedUntil` another node wrote. */
  noteStored(stored: number | null): void {
    if (stored !== null && stored > this.#covered) this.#covered = stored;
  }

  /** Resolves once `validUntil` (epoch ms) is stored; null when it already is, so the common case costs no promise. */
  cover(validUntil: number): Promise<void> | null {
    if (validUntil <= this.#covered) return null;
    if (validUntil > this.#wanted) this.#wanted = validUntil;
    return this.#waitFor(validUntil);
  }

  async #waitFor(validUntil: number): Promise<void> {
    while (validUntil > this.#covered) {
      if (!this.#writing) {
        const target = this.#wanted;
        this.#writing = this.write(target)
          .then(() => {
            if (target > this.#covered) this.#covered = target;
          })
          .finally(() => {
            this.#writing = null;
          });
      }
      await this.#writing;
    }
  }
}
