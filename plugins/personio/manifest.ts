import type { HrisManifest } from '../../src/hris/index.ts';
import { personioCredentialsSchema, type PersonioCredentials } from './credentials.ts';

export const personioManifest: HrisManifest<PersonioCredentials> = {
  key: 'personio',
  displayName: 'Personio',
  documentationUrl: 'https://developer.personio.de/docs/getting-started-with-the-personio-api',
  capabilities: ['documents', 'updateEmployee', 'customAttributes'],
  credentials: personioCredentialsSchema,
  /**
   * One export makes about two employee reads (lookup, read-back), one create and, with a CV, one
   * upload. Personio allows 60 uploads and 300 employee reads per minute per credential, so uploads
   * bind at about one export per second. At roughly one second per export, four concurrent exports
   * make at most eight employee reads per second, within the burst of 15/s. The client's pacing
   * absorbs the rest, so more concurrency would only queue inside the pacer.
   */
  maxConcurrentExports: 4,
};
