import type { TokenIssue } from "./ports.js";

/** The tokens of `issue` as they are written under a grant revoked meanwhile: revoked from their creation on. */
export function revokedIssue(issue: TokenIssue): TokenIssue {
  const { accessToken, refreshToken } = issue;
  return {
    ...issue,
    accessToken: { ...accessToken, revokedAt: accessToken.createdAt },
    ...(refreshToken ? { refreshToken: { ...refreshToken, revokedAt: refreshToken.createdAt } } : {}),
  };
}
