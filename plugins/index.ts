import type { HrisPluginDefinition } from '../src/hris/index.ts';
import { personioPlugin } from './personio/index.ts';

/** The installed HRIS plugins. The composition root hands this list to the registry. */
export const installedPlugins: readonly HrisPluginDefinition<never, never>[] = [
  personioPlugin as unknown as HrisPluginDefinition<never, never>,
];
