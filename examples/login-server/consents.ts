/**
 * What each user has agreed to, per client: lets a returning user skip the consent page and lets
 * `prompt=none` succeed (CONSENT_REQUIRED otherwise). In memory here;
 * keep it in your database in production.
 */
export class ConsentStore {
  private readonly granted = new Map<string, Set<string>>();

  private key(subject: string, clientId: number): string {
    return `${clientId}\u0000${subject}`;
  }

  /** True when every scope in `scopes` was granted before by this user to this client. */
  covers(subject: string, clientId: number, scopes: readonly string[]): boolean {
    const granted = this.granted.get(this.key(subject, clientId));
    return scopes.every((scope) => granted?.has(scope) ?? false);
  }

  remember(subject: string, clientId: number, scopes: readonly string[]): void {
    const key = this.key(subject, clientId);
    const granted = this.granted.get(key) ?? new Set<string>();
    for (const scope of scopes) granted.add(scope);
    this.granted.set(key, granted);
  }
}
