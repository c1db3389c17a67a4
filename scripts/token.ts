import { parseArgs } from 'node:util';
import { signToken } from '../src/auth/jwt.ts';
import { ConfigError, loadConfig, type Config } from '../src/config.ts';
import { createPrismaClient } from '../src/db/client.ts';
import { SEED_ORGANIZATION_DEFINITIONS, seedOrganizationId, seedUserId } from '../src/db/seed-data.ts';
import { loadDevelopmentSecrets } from '../src/dev-secrets.ts';

/**
 * Prints a signed HS256 token for a user, so that `TOKEN=$(npm run -s token -- --role ADMIN)`
 * works: the token alone goes to stdout, everything else to stderr.
 *
 * Without DATABASE_URL the user is resolved from the seed definitions and the database is
 * never opened, because the running server holds the embedded database and PGlite allows
 * one process per data folder. With DATABASE_URL the user is looked up in the database.
 */

const ROLES = ['ADMIN', 'HIRING_MANAGER', 'RECRUITER', 'INTERVIEWER'] as const;
type Role = (typeof ROLES)[number];

const USAGE = `Usage: npm run token -- (--email <email> | --role <role>) [--org <slug>] [--expires <duration>]

  --email <email>      User to sign the token for (case-insensitive).
  --role <role>        First seeded user with this role: ${ROLES.join(', ')}.
  --org <slug>         Organization of that user: ${SEED_ORGANIZATION_DEFINITIONS.map((definition) => definition.slug).join(' or ')} (default demo).
  --expires <duration> Lifetime such as 30m, 12h or 7d (default 12h).

Reads JWT_SECRET, or the development secret in DATA_DIR that the server uses when JWT_SECRET is unset.`;

/** A failure the user can fix; its message is printed without a stack trace. */
class ScriptError extends Error {}
/** Invalid command-line arguments; the usage is printed after the message. */
class UsageError extends ScriptError {}

interface Identity {
  userId: string;
  organizationId: string;
  email: string;
  name: string;
  role: string;
  organization: string;
}

interface Options {
  email: string | undefined;
  role: Role | undefined;
  org: string;
  expires: string;
}

function parseOptions(): Options | null {
  const { values } = parseArgs({
    options: {
      email: { type: 'string' },
      role: { type: 'string' },
      org: { type: 'string', default: 'demo' },
      expires: { type: 'string', default: '12h' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return null;
  if (values.email === undefined && values.role === undefined) throw new UsageError('Give --email or --role.');
  if (values.email !== undefined && values.role !== undefined) throw new UsageError('Give either --email or --role, not both.');
  const role = values.role?.toUpperCase();
  if (role !== undefined && !ROLES.includes(role as Role)) {
    throw new UsageError(`Unknown role "${values.role}"; use one of ${ROLES.join(', ')}.`);
  }
  if (!/^\d+\s*(s|sec|secs|m|min|mins|h|hr|hrs|d|day|days|w|week|weeks)$/i.test(values.expires)) {
    throw new UsageError(`Invalid --expires "${values.expires}"; use a number and a unit, such as 30m, 12h or 7d.`);
  }
  return { email: values.email, role: role as Role | undefined, org: values.org, expires: values.expires };
}

/** Resolves a seeded user from the seed definitions, without a database. */
function seededIdentity(options: Options): Identity {
  const organizations = SEED_ORGANIZATION_DEFINITIONS.filter(
    (definition) => options.email !== undefined || definition.slug === options.org,
  );
  if (organizations.length === 0) {
    throw new ScriptError(`No seeded organization "${options.org}"; use ${SEED_ORGANIZATION_DEFINITIONS.map((definition) => definition.slug).join(' or ')}.`);
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
  throw new ScriptError(
    options.email !== undefined
      ? `No seeded user has the email ${options.email}. Without DATABASE_URL only seeded users can get a token.`
      : `Organization "${options.org}" has no seeded user with role ${options.role}.`,
  );
}

/** Looks the user up in PostgreSQL: by email, or the seeded user with the role (else the oldest one). */
async function databaseIdentity(databaseUrl: string, options: Options): Promise<Identity> {
  const prisma = createPrismaClient(databaseUrl, { maxConnections: 1 });
  try {
    const organization = await prisma.organization.findUnique({ where: { slug: options.org } });
    if (!organization && options.email === undefined) throw new ScriptError(`No organization with slug "${options.org}" exists in the database.`);

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
      if (byOrg.length !== 1) throw new ScriptError(`${users.length} users have the email ${options.email}; add --org to choose one.`);
      users.splice(0, users.length, ...byOrg);
    }
    // Prefer the user that `npm run db:seed` created, so the result matches the seed order.
    const seededId = organization && options.role ? seedIdOfRole(organization.slug, options.role) : null;
    const user = users.find((candidate) => candidate.id === seededId) ?? users[0];
    if (!user) {
      throw new ScriptError(
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

function seedIdOfRole(slug: string, role: Role): string | null {
  const definition = SEED_ORGANIZATION_DEFINITIONS.find((candidate) => candidate.slug === slug);
  const user = definition?.users.find((candidate) => candidate.role === role);
  return user ? seedUserId(slug, user.email) : null;
}

async function signingSecret(config: Config): Promise<string> {
  if (config.JWT_SECRET) return config.JWT_SECRET;
  if (config.JWT_JWKS_URL) {
    throw new ScriptError('The server verifies RS256 tokens from JWT_JWKS_URL; get a token from that issuer. This script signs HS256 tokens only.');
  }
  if (config.NODE_ENV === 'production') throw new ScriptError('JWT_SECRET is not set; set it to the secret the server uses.');
  return (await loadDevelopmentSecrets(config.DATA_DIR)).jwtSecret;
}

async function main(): Promise<void> {
  const options = parseOptions();
  if (!options) {
    process.stderr.write(`${USAGE}\n`);
    return;
  }
  const config = loadConfig();
  if (!config.DATABASE_URL && !config.SEED_DEMO_DATA) {
    process.stderr.write('Note: SEED_DEMO_DATA is false, so the embedded database may not contain the seeded users.\n');
  }
  const identity = config.DATABASE_URL ? await databaseIdentity(config.DATABASE_URL, options) : seededIdentity(options);
  const token = await signToken({ userId: identity.userId, organizationId: identity.organizationId }, await signingSecret(config), options.expires);

  process.stdout.write(`${token}\n`);
  process.stderr.write(
    `Token for ${identity.name} <${identity.email}> (${identity.role}, organization ${identity.organization}), valid for ${options.expires}.\n` +
      'Send it as the header  Authorization: Bearer <token>\n',
  );
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) {
    process.stderr.write(`${error.message}\n\n${USAGE}\n`);
  } else if (error instanceof ScriptError || error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else if (error instanceof TypeError && (error as NodeJS.ErrnoException).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    process.stderr.write(`${error.message}\n\n${USAGE}\n`);
  } else {
    process.stderr.write(`Creating the token failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
});
