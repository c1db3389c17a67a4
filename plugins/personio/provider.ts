import type { HrisPluginRuntime, HrisProvider, HrisSession } from '../../src/hris/index.ts';
import { appIdHeaderValue, type PersonioCredentials } from './credentials.ts';
import { systemClock, type Clock } from './http/clock.ts';
import { PersonioHttpClient, type PersonioTransport } from './http/client.ts';
import { PersonioPacer } from './http/rate-limiter.ts';
import { TokenCache } from './http/token-cache.ts';
import { PersonioSession } from './session.ts';
import { resolveBaseUrl, type PersonioSettings } from './settings.ts';

export interface PersonioProviderOptions {
  /** Replaces the system clock, so tests can skip backoff and pacing waits. */
  clock?: Clock;
  /** Source of backoff jitter in [0, 1). */
  random?: () => number;
}

/**
 * Creates the Personio provider. Its sessions share one token cache and one pacer, so sessions of
 * the same credential share a token and a rate budget.
 */
export function createPersonioProvider(
  settings: PersonioSettings,
  runtime: HrisPluginRuntime,
  options: PersonioProviderOptions = {},
): HrisProvider<PersonioCredentials> {
  const clock = options.clock ?? systemClock;
  // The registry gives each provider a logger that already carries its key.
  const logger = runtime.logger;
  const baseUrl = resolveBaseUrl(settings, runtime.environment);
  logger.info({ baseUrl, environment: runtime.environment }, 'Personio provider created');

  const transport: PersonioTransport = {
    baseUrl,
    partnerId: settings.partnerId,
    timeoutMs: settings.timeoutMs,
    maxRetries: settings.maxRetries,
    clock,
    random: options.random ?? Math.random,
    logger,
    tokenCache: new TokenCache(clock),
    pacer: new PersonioPacer(clock),
  };

  return {
    session(credentials: PersonioCredentials): HrisSession {
      const client = new PersonioHttpClient(transport, {
        clientId: credentials.clientId,
        clientSecret: credentials.clientSecret,
        appIdHeader: appIdHeaderValue(credentials.appId),
      });
      const sessionLogger = logger.child({ appId: credentials.appId });
      return new PersonioSession({ client, logger: sessionLogger, clock }, credentials.appId);
    },
  };
}
