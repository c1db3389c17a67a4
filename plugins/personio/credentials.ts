import { z } from 'zod';

/** Credentials of one Personio connection after validation; `appId` is the normalised company subdomain. */
export interface PersonioCredentials {
  clientId: string;
  clientSecret: string;
  appId: string;
}

/** One DNS label: lower-case letters, digits and inner hyphens. */
const SUBDOMAIN_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const PERSONIO_HOST_PATTERN = /^([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)\.personio\.(?:de|com)$/;
const URL_SCHEME_PATTERN = /^[a-z][a-z0-9+.-]*:\/\//;

/** Hosts that belong to Personio itself rather than to a customer company. */
const PERSONIO_OWN_SUBDOMAINS = new Set(['api', 'www', 'developer', 'support', 'status', 'app']);

/**
 * Parses the company subdomain from `acme-gmbh`, `acme-gmbh.personio.de` or a company URL such as
 * `https://acme-gmbh.personio.com/staff`. Returns the lower-case subdomain, or null when the text is neither.
 */
export function parsePersonioSubdomain(input: string): string | null {
  const text = input.trim().toLowerCase();
  if (text === '') {
    return null;
  }

  let subdomain: string | null;
  if (/[./:]/.test(text)) {
    subdomain = subdomainFromUrl(URL_SCHEME_PATTERN.test(text) ? text : `https://${text}`);
  } else {
    subdomain = SUBDOMAIN_PATTERN.test(text) ? text : null;
  }

  if (subdomain === null || PERSONIO_OWN_SUBDOMAINS.has(subdomain)) {
    return null;
  }
  return subdomain;
}

function subdomainFromUrl(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return null;
  }
  // A user name or password (`user:pass@acme-gmbh.personio.de`, or an email address read as one)
  // is not part of a company address.
  if (url.username !== '' || url.password !== '') {
    return null;
  }
  return PERSONIO_HOST_PATTERN.exec(url.hostname)?.[1] ?? null;
}

/** Converts a subdomain such as `acme-gmbh` to the UPPER_SNAKE_CASE value `ACME_GMBH` that Personio requires in `X-Personio-App-ID`. */
export function appIdHeaderValue(subdomain: string): string {
  return subdomain.toUpperCase().replaceAll('-', '_');
}

const APP_ID_DESCRIPTION =
  'Your company\'s Personio subdomain, for example `acme-gmbh`, or the whole company URL you open Personio with ' +
  '(`https://acme-gmbh.personio.com` or `https://acme-gmbh.personio.de`, any path is ignored). ' +
  'It is stored as the lower-case subdomain, builds links to employee profiles, and is sent in UPPER_SNAKE_CASE ' +
  '(`ACME_GMBH`) as the `X-Personio-App-ID` header, the format Personio requires for that header.';

const appIdSchema = z
  .string()
  .transform((value, context) => {
    const subdomain = parsePersonioSubdomain(value);
    if (subdomain === null) {
      let shown = value.length > 100 ? `${value.slice(0, 100)}…` : value;
      // A value with `@` may carry a password, so the message does not repeat it.
      if (value.includes('@')) shown = '(not shown, because it contains @)';
      context.addIssue({
        code: 'custom',
        message:
          `appId "${shown}" is not a Personio subdomain or company URL. ` +
          'Enter the subdomain of the address you open Personio with, for example acme-gmbh for https://acme-gmbh.personio.com.',
      });
      return z.NEVER;
    }
    return subdomain;
  })
  .meta({ label: 'Personio subdomain or company URL', description: APP_ID_DESCRIPTION, example: 'acme-gmbh' });

const clientIdSchema = z
  .string()
  .trim()
  .min(1, 'clientId is missing. Copy the Client ID of the API credential from Personio.')
  .meta({
    label: 'Client ID',
    description:
      'Client ID of a Personio API credential, shown under Marketplace > Connected integrations > your custom integration > API credentials.',
    example: 'papi-0a1b2c3d-4e5f-6789-abcd-ef0123456789',
  });

const clientSecretSchema = z
  .string()
  .trim()
  .min(1, 'clientSecret is missing. Copy the Client secret of the API credential from Personio; it is shown only once, when the credential is created.')
  .meta({
    label: 'Client secret',
    description:
      'Client secret of the same Personio API credential. Personio shows it only once, when the credential is created; generate a new credential if it was lost.',
    secret: true,
  });

export const personioCredentialsSchema = z.object({
  clientId: clientIdSchema,
  clientSecret: clientSecretSchema,
  appId: appIdSchema,
});
