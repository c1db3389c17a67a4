import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../src/config.ts';
import { SEED_ORGANIZATION_DEFINITIONS } from '../src/db/seed-data.ts';
import { issueUserToken, TOKEN_ROLES as ROLES, UserTokenError, type TokenRole as Role } from './lib/user-token.ts';
import { describeFatalError } from '../src/fatal.ts';

/**
 * Prints a signed HS256 token for a user, so that `TOKEN=$(npm run -s token -- --role ADMIN)`
 * works: the token alone goes to stdout, everything else to stderr. issueUserToken in
 * scripts/lib/user-token.ts resolves the user and signs the token.
 */

const USAGE = `Usage: npm run token -- (--email <email> | --role <role>) [--org <slug>] [--expires <duration>]

  --email <email>      User to sign the token for (case-insensitive).
  --role <role>        First seeded user with this role: ${ROLES.join(', ')}.
  --org <slug>         Organization of that user: ${SEED_ORGANIZATION_DEFINITIONS.map((definition) => definition.slug).join(' or ')} (default demo).
  --expires <duration> Lifetime such as 30m, 12h or 7d (default 12h).

Reads JWT_SECRET, or the development secret in DATA_DIR that the server uses when JWT_SECRET is unset.`;

/** Invalid command-line arguments; the usage is printed after the message. */
class UsageError extends UserTokenError {}

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
  const { token, identity } = await issueUserToken(options, config);

  process.stdout.write(`${token}\n`);
  process.stderr.write(
    `Token for ${identity.name} <${identity.email}> (${identity.role}, organization ${identity.organization}), valid for ${options.expires}.\n` +
      'Send it as the header  Authorization: Bearer <token>\n',
  );
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) {
    process.stderr.write(`${error.message}\n\n${USAGE}\n`);
  } else if (error instanceof UserTokenError || error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else if (error instanceof TypeError && (error as NodeJS.ErrnoException).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    process.stderr.write(`${error.message}\n\n${USAGE}\n`);
  } else {
    process.stderr.write(`Creating the token failed: ${describeFatalError(error)}\n`);
  }
  process.exit(1);
});
