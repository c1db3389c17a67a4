import { installedPlugins } from '../../plugins/index.ts';
import { createPersonioProvider, personioPlugin } from '../../plugins/personio/index.ts';
import type { HrisPluginDefinition } from '../../src/hris/plugin.ts';

/**
 * The installed plugins, with the Personio client's clock replaced by one whose sleep returns at
 * once. That switches off the client's rate pacing and retry backoff, so an export against a
 * sandbox without limits shows the service's own cost and nothing else.
 */
export const unpacedPlugins: readonly HrisPluginDefinition<never, never>[] = installedPlugins.map((plugin) =>
  plugin.manifest.key === personioPlugin.manifest.key
    ? ({
        ...personioPlugin,
        create: (settings, runtime) => createPersonioProvider(settings, runtime, { clock: { now: () => Date.now(), sleep: async () => {} } }),
      } satisfies typeof personioPlugin as unknown as HrisPluginDefinition<never, never>)
    : plugin,
);
