import type { HrisPluginDefinition } from '../../src/hris/index.ts';
import type { PersonioCredentials } from './credentials.ts';
import { personioManifest } from './manifest.ts';
import { createPersonioProvider } from './provider.ts';
import { personioSettingsSchema, type PersonioSettings } from './settings.ts';

export type { PersonioCredentials } from './credentials.ts';
export type { PersonioSettings } from './settings.ts';
export { createPersonioProvider, type PersonioProviderOptions } from './provider.ts';

export const personioPlugin: HrisPluginDefinition<PersonioCredentials, PersonioSettings> = {
  manifest: personioManifest,
  settingsSchema: personioSettingsSchema,
  create: (settings, runtime) => createPersonioProvider(settings, runtime),
};
