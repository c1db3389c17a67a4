import { signToken } from '../../src/auth/jwt.ts';
import type { Config } from '../../src/config.ts';
import { createPrismaClient } from '../../src/db/client.ts';
import { connectToDatabase } from '../../src/db/migrate.ts';
import { SEED_ORGANIZATION_DEFINITIONS, seedOrganizationId, seedUserId } from '../../src/db/seed-data.ts';
import { loadDevelopmentSecrets } from '../../src/dev-secrets.ts';

/**
 * Signs HS256 tokens for users of the service, as `npm run token` and `npm run demo` do.
 *
 * Without DATABASE_URL the user is resolved from the seed definitions and the database is
 * never opened, because the running server has the embedded database open and PGlite allows
 * one process per data folder. With DATABASE_URL the user is looked up in the database.
 */

export const TOKEN_ROLES = ['ADMIN', 'HIRING_MANAGER', 'RECRUITER', 'INTERVIEWER'] as const;
export type TokenRole = (typeof TOKEN_ROLES)[number];

/** A failure the user can fix, such as an unknown email; its message needs no stack trace. */
export class UserTokenError extends Error {}

/** Whom to sign a token for: a user by email, or the first seeded user with a role. */
export interface UserTokenRequest {
  email?: string | undefined;
  role?: TokenRole | undefined;
  /** Organization slug; picks the user of a role, and among users sharing an email. */
  org: string;
  /** Lifetime such as 30m, 12h or 7d. */
  expires: string;
}

export interface UserIdentity {
  userId: string;
  organizationId: string;
  email: string;
  name: string;
  role: string;
  organization: string;
}

export interface UserToken {
  token: string;
  identity: UserIdentity;
}

/** Resolves the user and signs a token with the secret the server of `config` verifies. */
export async function issueUserToken(request: UserTokenRequest, config: Config): Promise<UserToken> {
  const identity = config.DATABASE_URL ? await databaseIdentity(config.DATABASE_URL, request) : seededIdentity(request);
  const token = await signToken({ userId: identity.userId, organizationId: identity.organizationId }, await signingSecret(config), request.expires);
  return { token, identity };
}

/** Resolves a seeded user from the seed definitions, without a database. */
function seededIdentity(options: UserTokenRequest): UserIdentity {
  const organizations = SEED_ORGANIZATION_DEFINITIONS.filter(
    (definition) => options.email !== undefined || definition.slug === options.org,
  );
  if (organizations.length === 0) {
    throw new UserTokenError(`No seeded organization "${options.org}"; use ${SEED_ORGANIZATION_DEFINITIONS.map((definition) => definition.slug).join(' or ')}.`);
  }
  for (const definition of organizations) {
    const user = definition.users.find((candidate) =>
      options.email !== undefined ? candidate.email.toLowerCase() === options.email.toLowerCase() : candidate.role === options.role,
    );
    if (user) {
      return {
        userId: seedUserId(definition.slug, user.email),
        organizationId: seedOrganizationId(definition.slug),
        email: user.email,
        name: user.name,
        role: user.role,
        organization: definition.slug,
      };
    }
  }
  throw new UserTokenError(
    options.email !== undefined
      ? `No seeded user has the email ${options.email}. Without DATABASE_URL only seeded users can get a token.`
      : `Organization "${options.org}" has no seeded user with role ${options.role}.`,
  );
}

/** Looks the user up in PostgreSQL: by email, or the seeded user with the role (else the oldest one). */
async function databaseIdentity(databaseUrl: string, options: UserTokenRequest): Promise<UserIdentity> {
  // Checked with a plain connection first, so a missing database gets a message that names it.
  await (await connectToDatabase(databaseUrl)).end();
  const prisma = createPrismaClient(databaseUrl, { maxConnections: 1 });
  try {
    const organization = await prisma.organization.findUnique({ where: { slug: options.org } });
    if (!organization && options.email === undefined) throw new UserTokenError(`No organization with slug "${options.org}" exists in the database.`);

    const users = await prisma.user.findMany({
      where:
        options.email !== undefined
          ? { email: { equals: options.email, mode: 'insensitive' } }
          : { organizationId: organization?.id ?? '', role: options.role },
      include: { organization: true },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    if (options.email !== undefined && users.length > 1) {
      const byOrg = users.filter((user) => user.organization.slug === options.org);
      if (byOrg.length !== 1) throw new UserTokenError(`${users.length} users have the email ${options.email}; add --org to choose one.`);
      users.splice(0, users.length, ...byOrg);
    }
    // Prefer the user that `npm run db:seed` created, so the result matches the seed order.
    const seededId = organization && options.role ? seedIdOfRole(organization.slug, options.role) : null;
    const user = users.find((candidate) => candidate.id === seededId) ?? users[0];
    if (!user) {
      throw new UserTokenError(
        options.email !== undefined ? `No user with the email ${options.email} exists in the database.` : `Organization "${options.org}" has no user with role ${options.role}.`,
      );
    }
    return {
      userId: user.id,
      organizationId: user.organizationId,
      email: user.email,
      name: user.name,
      role: user.role,
      organization: user.organization.slug,
    };
  } finally {
    await prisma.$disconnect();
  }
}

function seedIdOfRole(slug: string, role: TokenRole): string | null {
  const definition = SEED_ORGANIZATION_DEFINITIONS.find((candidate) => candidate.slug === slug);
  const user = definition?.users.find((candidate) => candidate.role === role);
  return user ? seedUserId(slug, user.email) : null;
}

async function signingSecret(config: Config): Promise<string> {
  if (config.JWT_SECRET) return config.JWT_SECRET;
  if (config.JWT_JWKS_URL) {
    throw new UserTokenError('The server verifies RS256 tokens from JWT_JWKS_URL; get a token from that issuer. This script signs HS256 tokens only.');
  }
  if (config.NODE_ENV === 'production') throw new UserTokenError('JWT_SECRET is not set; set it to the secret the server uses.');
  return (await loadDevelopmentSecrets(config.DATA_DIR)).jwtSecret;
}
