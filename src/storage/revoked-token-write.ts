import type { TokenWrite } from "./ports.js";

/** The tokens of `write` as they are written under a grant revoked meanwhile: revoked from their creation on. */
export function revokedTokenWrite(write: TokenWrite): TokenWrite {
  const { accessToken, refreshToken } = write;
  return {
    ...write,
    accessToken: { ...accessToken, revokedAt: accessToken.createdAt },
    ...(refreshToken ? { refreshToken: { ...refreshToken, revokedAt: refreshToken.createdAt } } : {}),
  };
}
