import { createRemoteJWKSet, errors, jwtVerify, SignJWT, type JWTVerifyGetKey } from 'jose';

/** Identity claims of a verified token; the role is read from the database, never from here. */
export interface TokenIdentity {
  userId: string;
  organizationId: string;
}

export interface JwtSettings {
  secret?: string | undefined;
  jwksUrl?: string | undefined;
  issuer?: string | undefined;
  audience?: string | undefined;
}

/** Why a token was rejected; the text goes to the client, so it never echoes the token. */
export class TokenError extends Error {
  override name = 'TokenError';
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Describes a rejected claim in words a client can act on; never includes the claim's value. */
function claimMessage(error: errors.JWTClaimValidationFailed): string {
  if (error.reason === 'missing') return `The token has no \`${error.claim}\` claim; request a token that sets it.`;
  switch (error.claim) {
    case 'nbf':
      return 'The token is not valid yet: its `nbf` claim is in the future. Check the clock of the token issuer.';
    case 'iss':
      return "The token's `iss` claim does not name the expected issuer (JWT_ISSUER).";
    case 'aud':
      return "The token's `aud` claim does not name the expected audience (JWT_AUDIENCE).";
    default:
      return `The token's \`${error.claim}\` claim is invalid: ${error.message}.`;
  }
}

/**
 * Verifies `Authorization: Bearer` tokens: HS256 with a shared secret, or RS256 through a
 * JWKS URL. Claims: `sub` is the user id, `org` the organization id.
 */
export function createTokenVerifier(settings: JwtSettings) {
  const jwks: JWTVerifyGetKey | null = settings.jwksUrl ? createRemoteJWKSet(new URL(settings.jwksUrl)) : null;
  const secret = settings.secret ? new TextEncoder().encode(settings.secret) : null;
  if (!jwks && !secret) throw new Error('JWT verification needs JWT_SECRET or JWT_JWKS_URL');

  return async function verifyToken(token: string): Promise<TokenIdentity> {
    try {
      const options = {
        // A token without `exp` would stay valid forever, so every token must carry one.
        requiredClaims: ['exp'],
        ...(settings.issuer ? { issuer: settings.issuer } : {}),
        ...(settings.audience ? { audience: settings.audience } : {}),
      };
      const { payload } = jwks
        ? await jwtVerify(token, jwks, { ...options, algorithms: ['RS256'] })
        : await jwtVerify(token, secret!, { ...options, algorithms: ['HS256'] });
      const userId = payload.sub;
      const organizationId = payload['org'];
      if (typeof userId !== 'string' || !uuidPattern.test(userId)) {
        throw new TokenError('The token has no valid `sub` claim (the user id).');
      }
      if (typeof organizationId !== 'string' || !uuidPattern.test(organizationId)) {
        throw new TokenError('The token has no valid `org` claim (the organization id).');
      }
      return { userId, organizationId };
    } catch (error) {
      if (error instanceof TokenError) throw error;
      // The key set could not be fetched in time or was malformed: a fault of the key server,
      // not of the token, so it fails as an unexpected error instead of a 401.
      if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) throw error;
      if (error instanceof errors.JWTExpired) throw new TokenError('The token has expired; request a new one.');
      if (error instanceof errors.JWTClaimValidationFailed) throw new TokenError(claimMessage(error));
      if (error instanceof errors.JOSEError) throw new TokenError('The token is invalid: its signature or format could not be verified.');
      throw error;
    }
  };
}

export type TokenVerifier = ReturnType<typeof createTokenVerifier>;

/** Signs an HS256 token, for `npm run token` and tests. */
export async function signToken(identity: TokenIdentity, secret: string, expiresIn = '12h'): Promise<string> {
  return new SignJWT({ org: identity.organizationId })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(identity.userId)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(secret));
}
