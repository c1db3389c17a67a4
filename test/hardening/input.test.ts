import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectOrFail, DEFAULT_PERSONIO_CREDENTIALS, startEnvironment, type Environment } from '../exports/support.ts';
import { buildSchema } from '../../src/graphql/schema.ts';
import { candidateGlobalId, globalId, jobGlobalId } from '../helpers/seed-facts.ts';
import type { TestService } from '../helpers/service.ts';

// Malformed input over every mutation input and the query arguments. Each row must end in a
// clear error, or a typed union member, that names the input field. It must also leave every
// table as it was and send nothing to the HRIS. The service is connected to the Personio
// sandbox, so an input that slipped through would reach it and show up in both checks.

const LONG = 'x'.repeat(10_000);
const SQL = `'; DROP TABLE "Candidate"; --`;
const HTML = '<script>alert(1)</script>';
const UNKNOWN_UUID = '00000000-0000-4000-8000-00000000abcd';
const SECRET = 'do-not-echo-this-secret-value';

const CONNECT = `mutation ($input: ConnectHrisInput!) { connectHris(input: $input) {
  __typename ... on InvalidInput { message problems { field message } } ... on ConnectHrisSuccess { connection { id } } } }`;
const DISCONNECT = 'mutation ($id: ID!) { disconnectHris(id: $id) { disconnected } }';
const CHECK = 'mutation ($id: ID!) { checkHrisConnection(id: $id) { id status } }';
const EXPORT_ONE = `mutation ($input: ExportCandidateToHrisInput!) { exportCandidateToHris(input: $input) {
  __typename ... on CandidateNotFound { candidateId message } } }`;
const EXPORT_MANY = `mutation ($input: ExportCandidatesToHrisInput!) { exportCandidatesToHris(input: $input) {
  __typename ... on InvalidInput { message problems { field message } } ... on HrisExportBatch { id } } }`;
const RESUME = 'mutation ($id: ID!) { resumeHrisExportBatch(id: $id) { id } }';
const CANDIDATES = 'query ($filter: CandidateFilter, $first: Int, $after: String) { candidates(filter: $filter, first: $first, after: $after) { totalCount } }';
const CANDIDATE = 'query ($id: ID!) { candidate(id: $id) { id } }';
const JOB = 'query ($id: ID!) { job(id: $id) { id } }';
const BATCH = 'query ($id: ID!) { hrisExportBatch(id: $id) { id } }';
const HISTORY = 'query ($jobId: ID) { hrisExportHistory(jobId: $jobId, first: 5) { edges { node { id } } } }';

/** The hire every export row names when the row is about another field. */
const HIRE = candidateGlobalId('demo', 'zoe.mueller@example.com');
const GLOBEX_HIRE = candidateGlobalId('globex', 'priya.nair@example.com');

/** What a row's response must show. */
type Expectation =
  /** A GraphQL error with this code whose message names `field`. */
  | { error: string; field: string; message?: RegExp }
  /** An InvalidInput member with a problem on `field`. */
  | { invalidInput: string; message?: RegExp }
  /** A CandidateNotFound member whose message names the field or the lookup. */
  | { candidateNotFound: RegExp }
  /** A not-found result: the root field's value. */
  | { value: unknown };

interface BadInput {
  name: string;
  document: string;
  variables: Record<string, unknown>;
  expect: Expectation;
  /** Text the response must not contain, such as a secret. */
  hidden?: string;
}

const personio = (credentials: Record<string, unknown>) => ({ input: { personio: { ...DEFAULT_PERSONIO_CREDENTIALS, ...credentials } } });
const exportOne = (input: Record<string, unknown>) => ({ input: { candidateId: HIRE, ...input } });
const exportMany = (input: Record<string, unknown>) => ({ input: { waitSeconds: 0, ...input } });

const ROWS: BadInput[] = [
  // connectHris: the credentials of the Personio input.
  { name: 'connectHris clientId empty', document: CONNECT, variables: personio({ clientId: '' }), expect: { invalidInput: 'input.personio.clientId', message: /clientId is missing/ } },
  { name: 'connectHris clientId whitespace only', document: CONNECT, variables: personio({ clientId: '   ' }), expect: { invalidInput: 'input.personio.clientId', message: /clientId is missing/ } },
  { name: 'connectHris clientId of 10,000 characters', document: CONNECT, variables: personio({ clientId: LONG }), expect: { invalidInput: 'input.personio.clientId', message: /has 10000 characters; at most 4096/ } },
  { name: 'connectHris clientId with a NUL byte', document: CONNECT, variables: personio({ clientId: 'papi-1\u0000x' }), expect: { error: 'BAD_USER_INPUT', field: 'input.personio.clientId', message: /NUL character/ } },
  { name: 'connectHris clientId with a line break inside', document: CONNECT, variables: personio({ clientId: 'papi-1\nx' }), expect: { invalidInput: 'input.personio.clientId', message: /control character/ } },
  { name: 'connectHris clientId that is a number', document: CONNECT, variables: personio({ clientId: 12345 }), expect: { error: 'BAD_USER_INPUT', field: 'input.personio.clientId', message: /String cannot represent/ } },
  { name: 'connectHris clientId that is a boolean', document: CONNECT, variables: personio({ clientId: true }), expect: { error: 'BAD_USER_INPUT', field: 'input.personio.clientId' } },
  { name: 'connectHris clientId null', document: CONNECT, variables: personio({ clientId: null }), expect: { error: 'BAD_USER_INPUT', field: 'input.personio.clientId' } },
  { name: 'connectHris clientSecret empty', document: CONNECT, variables: personio({ clientSecret: '' }), expect: { invalidInput: 'input.personio.clientSecret', message: /clientSecret is missing/ } },
  { name: 'connectHris clientSecret of tabs and line breaks only', document: CONNECT, variables: personio({ clientSecret: '\t \n' }), expect: { invalidInput: 'input.personio.clientSecret', message: /clientSecret is missing/ } },
  {
    name: 'connectHris clientSecret of 10,000 characters',
    document: CONNECT,
    variables: personio({ clientSecret: `${SECRET}${LONG}` }),
    expect: { invalidInput: 'input.personio.clientSecret', message: /has 10029 characters/ },
    hidden: SECRET,
  },
  {
    name: 'connectHris clientSecret with a control character',
    document: CONNECT,
    variables: personio({ clientSecret: `${SECRET}\u0007` }),
    expect: { invalidInput: 'input.personio.clientSecret', message: /control character/ },
    hidden: SECRET,
  },
  { name: 'connectHris clientSecret missing', document: CONNECT, variables: { input: { personio: { clientId: 'papi-1', appId: 'acme-gmbh' } } }, expect: { error: 'BAD_USER_INPUT', field: 'clientSecret' } },
  { name: 'connectHris appId empty', document: CONNECT, variables: personio({ appId: '' }), expect: { invalidInput: 'input.personio.appId', message: /is not a Personio subdomain/ } },
  { name: 'connectHris appId whitespace only', document: CONNECT, variables: personio({ appId: '   ' }), expect: { invalidInput: 'input.personio.appId', message: /is not a Personio subdomain/ } },
  { name: 'connectHris appId with a space', document: CONNECT, variables: personio({ appId: 'acme gmbh' }), expect: { invalidInput: 'input.personio.appId' } },
  { name: 'connectHris appId of 10,000 characters', document: CONNECT, variables: personio({ appId: LONG }), expect: { invalidInput: 'input.personio.appId', message: /has 10000 characters/ } },
  { name: 'connectHris appId as SQL', document: CONNECT, variables: personio({ appId: SQL }), expect: { invalidInput: 'input.personio.appId', message: /is not a Personio subdomain/ } },
  { name: 'connectHris appId as HTML', document: CONNECT, variables: personio({ appId: HTML }), expect: { invalidInput: 'input.personio.appId', message: /is not a Personio subdomain/ } },
  { name: 'connectHris appId of another host', document: CONNECT, variables: personio({ appId: 'https://acme-gmbh.example.com' }), expect: { invalidInput: 'input.personio.appId' } },
  { name: 'connectHris appId of Personio itself', document: CONNECT, variables: personio({ appId: 'api' }), expect: { invalidInput: 'input.personio.appId' } },
  { name: 'connectHris appId with an ftp URL', document: CONNECT, variables: personio({ appId: 'ftp://acme-gmbh.personio.de' }), expect: { invalidInput: 'input.personio.appId' } },
  { name: 'connectHris appId that is an email address', document: CONNECT, variables: personio({ appId: 'admin@acme-gmbh.personio.de' }), expect: { invalidInput: 'input.personio.appId' } },
  { name: 'connectHris appId URL with user and password', document: CONNECT, variables: personio({ appId: 'https://admin:pw@acme-gmbh.personio.com' }), expect: { invalidInput: 'input.personio.appId' } },
  { name: 'connectHris several fields at once', document: CONNECT, variables: personio({ clientId: '', appId: '-acme' }), expect: { invalidInput: 'input.personio.appId' } },
  { name: 'connectHris unknown credential field', document: CONNECT, variables: personio({ tenant: 'acme' }), expect: { error: 'BAD_USER_INPUT', field: 'tenant' } },
  { name: 'connectHris no provider field', document: CONNECT, variables: { input: {} }, expect: { error: 'BAD_USER_INPUT', field: 'ConnectHrisInput' } },
  { name: 'connectHris provider field null', document: CONNECT, variables: { input: { personio: null } }, expect: { error: 'BAD_USER_INPUT', field: 'personio' } },
  { name: 'connectHris provider that is not installed', document: CONNECT, variables: { input: { workday: { apiKey: 'x' } } }, expect: { error: 'BAD_USER_INPUT', field: 'workday' } },
  { name: 'connectHris credentials as a string', document: CONNECT, variables: { input: { personio: 'papi-1:secret' } }, expect: { error: 'BAD_USER_INPUT', field: 'input.personio' } },

  // disconnectHris and checkHrisConnection: the connection id.
  { name: 'disconnectHris id empty', document: DISCONNECT, variables: { id: '' }, expect: { error: 'BAD_USER_INPUT', field: 'Argument "id"', message: /is not a HrisConnection ID/ } },
  { name: 'disconnectHris id whitespace only', document: DISCONNECT, variables: { id: '   ' }, expect: { error: 'BAD_USER_INPUT', field: 'Argument "id"' } },
  { name: 'disconnectHris id of 10,000 characters', document: DISCONNECT, variables: { id: LONG }, expect: { error: 'BAD_USER_INPUT', field: 'Argument "id"' } },
  { name: 'disconnectHris id as SQL', document: DISCONNECT, variables: { id: SQL }, expect: { error: 'BAD_USER_INPUT', field: 'Argument "id"' } },
  { name: 'disconnectHris id of a candidate', document: DISCONNECT, variables: { id: HIRE }, expect: { error: 'BAD_USER_INPUT', field: 'Argument "id"', message: /not a HrisConnection ID/ } },
  { name: 'disconnectHris id that is a number', document: DISCONNECT, variables: { id: 7 }, expect: { error: 'BAD_USER_INPUT', field: 'Argument "id"' } },
  { name: 'disconnectHris id null', document: DISCONNECT, variables: { id: null }, expect: { error: 'BAD_USER_INPUT', field: '$id' } },
  { name: 'disconnectHris unknown id', document: DISCONNECT, variables: { id: globalId('HrisConnection', UNKNOWN_UUID) }, expect: { value: { disconnected: false } } },
  { name: 'checkHrisConnection id empty', document: CHECK, variables: { id: '' }, expect: { error: 'BAD_USER_INPUT', field: 'Argument "id"' } },
  { name: 'checkHrisConnection id with a NUL byte', document: CHECK, variables: { id: 'SHJpc0Nvbm5lY3Rpb246\u0000' }, expect: { error: 'BAD_USER_INPUT', field: '$id', message: /NUL character/ } },
  { name: 'checkHrisConnection id of a job', document: CHECK, variables: { id: jobGlobalId('demo', 'backend') }, expect: { error: 'BAD_USER_INPUT', field: 'Argument "id"' } },
  { name: 'checkHrisConnection unknown id', document: CHECK, variables: { id: globalId('HrisConnection', UNKNOWN_UUID) }, expect: { value: null } },

  // exportCandidateToHris: candidate id and provider.
  { name: 'exportCandidateToHris candidateId empty', document: EXPORT_ONE, variables: exportOne({ candidateId: '' }), expect: { candidateNotFound: /input\.candidateId is not a Candidate ID/ } },
  { name: 'exportCandidateToHris candidateId whitespace only', document: EXPORT_ONE, variables: exportOne({ candidateId: ' \t ' }), expect: { candidateNotFound: /input\.candidateId is not a Candidate ID/ } },
  { name: 'exportCandidateToHris candidateId of 10,000 characters', document: EXPORT_ONE, variables: exportOne({ candidateId: LONG }), expect: { candidateNotFound: /input\.candidateId is not a Candidate ID/ } },
  { name: 'exportCandidateToHris candidateId as HTML', document: EXPORT_ONE, variables: exportOne({ candidateId: HTML }), expect: { candidateNotFound: /input\.candidateId is not a Candidate ID/ } },
  { name: 'exportCandidateToHris candidateId of a job', document: EXPORT_ONE, variables: exportOne({ candidateId: jobGlobalId('demo', 'backend') }), expect: { candidateNotFound: /input\.candidateId is not a Candidate ID/ } },
  { name: 'exportCandidateToHris unknown candidateId', document: EXPORT_ONE, variables: exportOne({ candidateId: globalId('Candidate', UNKNOWN_UUID) }), expect: { candidateNotFound: /No candidate with id .* is visible to you/ } },
  { name: 'exportCandidateToHris candidateId of another organization', document: EXPORT_ONE, variables: exportOne({ candidateId: GLOBEX_HIRE }), expect: { candidateNotFound: /No candidate with id .* is visible to you/ } },
  { name: 'exportCandidateToHris candidateId null', document: EXPORT_ONE, variables: exportOne({ candidateId: null }), expect: { error: 'BAD_USER_INPUT', field: 'input.candidateId' } },
  { name: 'exportCandidateToHris candidateId that is a list', document: EXPORT_ONE, variables: exportOne({ candidateId: [HIRE] }), expect: { error: 'BAD_USER_INPUT', field: 'input.candidateId' } },
  { name: 'exportCandidateToHris provider empty', document: EXPORT_ONE, variables: exportOne({ provider: '' }), expect: { error: 'BAD_USER_INPUT', field: 'input.provider', message: /is not a provider key/ } },
  { name: 'exportCandidateToHris provider whitespace only', document: EXPORT_ONE, variables: exportOne({ provider: '  ' }), expect: { error: 'BAD_USER_INPUT', field: 'input.provider' } },
  { name: 'exportCandidateToHris provider of 10,000 characters', document: EXPORT_ONE, variables: exportOne({ provider: LONG }), expect: { error: 'BAD_USER_INPUT', field: 'input.provider' } },
  { name: 'exportCandidateToHris provider as SQL', document: EXPORT_ONE, variables: exportOne({ provider: SQL }), expect: { error: 'BAD_USER_INPUT', field: 'input.provider' } },
  { name: 'exportCandidateToHris provider in upper case', document: EXPORT_ONE, variables: exportOne({ provider: 'PERSONIO' }), expect: { error: 'BAD_USER_INPUT', field: 'input.provider' } },
  { name: 'exportCandidateToHris provider with a control character', document: EXPORT_ONE, variables: exportOne({ provider: 'personio\u0001' }), expect: { error: 'BAD_USER_INPUT', field: 'input.provider' } },
  { name: 'exportCandidateToHris unknown input field', document: EXPORT_ONE, variables: exportOne({ force: true }), expect: { error: 'BAD_USER_INPUT', field: 'force' } },

  // exportCandidatesToHris: the selection, job, provider and wait.
  { name: 'exportCandidatesToHris neither candidateIds nor jobId', document: EXPORT_MANY, variables: exportMany({}), expect: { invalidInput: 'input', message: /either candidateIds or jobId/ } },
  { name: 'exportCandidatesToHris both candidateIds and jobId', document: EXPORT_MANY, variables: exportMany({ candidateIds: [HIRE], jobId: jobGlobalId('demo', 'backend') }), expect: { invalidInput: 'input' } },
  { name: 'exportCandidatesToHris candidateIds empty list', document: EXPORT_MANY, variables: exportMany({ candidateIds: [] }), expect: { invalidInput: 'input.candidateIds', message: /at least one candidate/ } },
  { name: 'exportCandidatesToHris candidateIds with an empty id', document: EXPORT_MANY, variables: exportMany({ candidateIds: [HIRE, ''] }), expect: { invalidInput: 'input.candidateIds[1]', message: /is not a Candidate ID/ } },
  { name: 'exportCandidatesToHris candidateIds with a whitespace id', document: EXPORT_MANY, variables: exportMany({ candidateIds: ['   '] }), expect: { invalidInput: 'input.candidateIds[0]' } },
  { name: 'exportCandidatesToHris candidateIds with an id of 10,000 characters', document: EXPORT_MANY, variables: exportMany({ candidateIds: [LONG] }), expect: { invalidInput: 'input.candidateIds[0]' } },
  { name: 'exportCandidatesToHris candidateIds with SQL', document: EXPORT_MANY, variables: exportMany({ candidateIds: [SQL] }), expect: { invalidInput: 'input.candidateIds[0]' } },
  { name: 'exportCandidatesToHris candidateIds with a job id', document: EXPORT_MANY, variables: exportMany({ candidateIds: [jobGlobalId('demo', 'backend')] }), expect: { invalidInput: 'input.candidateIds[0]' } },
  { name: 'exportCandidatesToHris candidateIds with numbers', document: EXPORT_MANY, variables: exportMany({ candidateIds: [1, 2] }), expect: { invalidInput: 'input.candidateIds[1]' } },
  { name: 'exportCandidatesToHris candidateIds repeated', document: EXPORT_MANY, variables: exportMany({ candidateIds: [HIRE, HIRE] }), expect: { invalidInput: 'input.candidateIds[1]', message: /repeats a candidate/ } },
  {
    name: 'exportCandidatesToHris candidateIds repeated with upper-case UUID',
    document: EXPORT_MANY,
    variables: exportMany({ candidateIds: [HIRE, globalId('Candidate', Buffer.from(HIRE, 'base64').toString('utf8').split(':')[1]!.toUpperCase())] }),
    expect: { invalidInput: 'input.candidateIds[1]', message: /repeats a candidate/ },
  },
  { name: 'exportCandidatesToHris candidateIds of another organization', document: EXPORT_MANY, variables: exportMany({ candidateIds: [HIRE, GLOBEX_HIRE] }), expect: { invalidInput: 'input.candidateIds[1]', message: /No candidate with this ID is visible/ } },
  { name: 'exportCandidatesToHris unknown candidateIds', document: EXPORT_MANY, variables: exportMany({ candidateIds: [globalId('Candidate', UNKNOWN_UUID)] }), expect: { invalidInput: 'input.candidateIds[0]' } },
  { name: 'exportCandidatesToHris 501 candidateIds', document: EXPORT_MANY, variables: exportMany({ candidateIds: Array.from({ length: 501 }, () => HIRE) }), expect: { invalidInput: 'input.candidateIds', message: /lists 501 candidates; at most 500/ } },
  {
    name: 'exportCandidatesToHris 10,000 candidateIds',
    document: EXPORT_MANY,
    variables: exportMany({ candidateIds: Array.from({ length: 10_000 }, (_, index) => globalId('Candidate', `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`)) }),
    expect: { invalidInput: 'input.candidateIds', message: /lists 10000 candidates/ },
  },
  { name: 'exportCandidatesToHris candidateIds with null', document: EXPORT_MANY, variables: exportMany({ candidateIds: [HIRE, null] }), expect: { error: 'BAD_USER_INPUT', field: 'input.candidateIds' } },
  { name: 'exportCandidatesToHris jobId empty', document: EXPORT_MANY, variables: exportMany({ jobId: '' }), expect: { invalidInput: 'input.jobId' } },
  { name: 'exportCandidatesToHris jobId of a candidate', document: EXPORT_MANY, variables: exportMany({ jobId: HIRE }), expect: { invalidInput: 'input.jobId' } },
  { name: 'exportCandidatesToHris jobId of another organization', document: EXPORT_MANY, variables: exportMany({ jobId: jobGlobalId('globex', 'data-analyst') }), expect: { invalidInput: 'input.jobId', message: /No job with this ID is visible/ } },
  { name: 'exportCandidatesToHris waitSeconds negative', document: EXPORT_MANY, variables: exportMany({ candidateIds: [HIRE], waitSeconds: -1 }), expect: { invalidInput: 'input.waitSeconds', message: /from 0 to 300/ } },
  { name: 'exportCandidatesToHris waitSeconds over 300', document: EXPORT_MANY, variables: exportMany({ candidateIds: [HIRE], waitSeconds: 301 }), expect: { invalidInput: 'input.waitSeconds' } },
  { name: 'exportCandidatesToHris waitSeconds over 32 bits', document: EXPORT_MANY, variables: exportMany({ candidateIds: [HIRE], waitSeconds: 2 ** 31 }), expect: { error: 'BAD_USER_INPUT', field: 'input.waitSeconds' } },
  { name: 'exportCandidatesToHris waitSeconds fractional', document: EXPORT_MANY, variables: exportMany({ candidateIds: [HIRE], waitSeconds: 1.5 }), expect: { error: 'BAD_USER_INPUT', field: 'input.waitSeconds' } },
  { name: 'exportCandidatesToHris waitSeconds as text', document: EXPORT_MANY, variables: exportMany({ candidateIds: [HIRE], waitSeconds: '10' }), expect: { error: 'BAD_USER_INPUT', field: 'input.waitSeconds' } },
  { name: 'exportCandidatesToHris provider empty', document: EXPORT_MANY, variables: exportMany({ candidateIds: [HIRE], provider: '' }), expect: { invalidInput: 'input.provider', message: /is not a provider key/ } },
  { name: 'exportCandidatesToHris provider as HTML', document: EXPORT_MANY, variables: exportMany({ candidateIds: [HIRE], provider: HTML }), expect: { invalidInput: 'input.provider' } },

  // resumeHrisExportBatch and hrisExportBatch: the batch id, a UUID.
  { name: 'resumeHrisExportBatch id empty', document: RESUME, variables: { id: '' }, expect: { error: 'BAD_USER_INPUT', field: 'Argument "id"', message: /is not a HrisExportBatch id \(a UUID\)/ } },
  { name: 'resumeHrisExportBatch id as SQL', document: RESUME, variables: { id: SQL }, expect: { error: 'BAD_USER_INPUT', field: 'Argument "id"' } },
  { name: 'resumeHrisExportBatch id of 10,000 characters', document: RESUME, variables: { id: LONG }, expect: { error: 'BAD_USER_INPUT', field: 'Argument "id"' } },
  { name: 'resumeHrisExportBatch id that is a Relay ID', document: RESUME, variables: { id: HIRE }, expect: { error: 'BAD_USER_INPUT', field: 'Argument "id"' } },
  { name: 'resumeHrisExportBatch unknown id', document: RESUME, variables: { id: UNKNOWN_UUID }, expect: { value: null } },
  { name: 'hrisExportBatch id whitespace only', document: BATCH, variables: { id: '  ' }, expect: { error: 'BAD_USER_INPUT', field: 'Argument "id"' } },
  { name: 'hrisExportBatch unknown id', document: BATCH, variables: { id: UNKNOWN_UUID }, expect: { value: null } },

  // Query arguments.
  { name: 'candidates search empty', document: CANDIDATES, variables: { filter: { search: '' } }, expect: { error: 'BAD_USER_INPUT', field: 'filter.search', message: /is empty/ } },
  { name: 'candidates search whitespace only', document: CANDIDATES, variables: { filter: { search: ' \t ' } }, expect: { error: 'BAD_USER_INPUT', field: 'filter.search', message: /is empty/ } },
  { name: 'candidates search of 10,000 characters', document: CANDIDATES, variables: { filter: { search: LONG } }, expect: { error: 'BAD_USER_INPUT', field: 'filter.search', message: /has 10000 characters; at most 500/ } },
  { name: 'candidates search with a NUL byte', document: CANDIDATES, variables: { filter: { search: 'zoe\u0000' } }, expect: { error: 'BAD_USER_INPUT', field: 'filter.search', message: /NUL character/ } },
  { name: 'candidates search with a control character', document: CANDIDATES, variables: { filter: { search: 'zoe\u001b[31m' } }, expect: { error: 'BAD_USER_INPUT', field: 'filter.search', message: /control character/ } },
  { name: 'candidates search that is a number', document: CANDIDATES, variables: { filter: { search: 42 } }, expect: { error: 'BAD_USER_INPUT', field: 'filter.search' } },
  { name: 'candidates status unknown', document: CANDIDATES, variables: { filter: { status: 'DONE' } }, expect: { error: 'BAD_USER_INPUT', field: 'filter.status' } },
  { name: 'candidates jobId empty', document: CANDIDATES, variables: { filter: { jobId: '' } }, expect: { error: 'BAD_USER_INPUT', field: 'filter.jobId', message: /is not a Job ID/ } },
  { name: 'candidates jobId as SQL', document: CANDIDATES, variables: { filter: { jobId: SQL } }, expect: { error: 'BAD_USER_INPUT', field: 'filter.jobId' } },
  { name: 'candidates jobId of another organization', document: CANDIDATES, variables: { filter: { jobId: jobGlobalId('globex', 'data-analyst') } }, expect: { value: { totalCount: 0 } } },
  { name: 'candidates unknown filter field', document: CANDIDATES, variables: { filter: { email: 'zoe@example.com' } }, expect: { error: 'BAD_USER_INPUT', field: 'email' } },
  { name: 'candidates first negative', document: CANDIDATES, variables: { first: -1 }, expect: { error: 'BAD_USER_INPUT', field: 'Argument "first"' } },
  { name: 'candidates first over 100', document: CANDIDATES, variables: { first: 1000 }, expect: { error: 'BAD_USER_INPUT', field: 'Argument "first"', message: /from 0 to 100/ } },
  { name: 'candidates first as text', document: CANDIDATES, variables: { first: 'ten' }, expect: { error: 'BAD_USER_INPUT', field: '$first' } },
  { name: 'candidates after garbage', document: CANDIDATES, variables: { after: 'garbage' }, expect: { error: 'BAD_USER_INPUT', field: 'Argument "after"', message: /not a cursor/ } },
  { name: 'candidates after of a negative offset', document: CANDIDATES, variables: { after: Buffer.from('OffsetConnection:-5').toString('base64') }, expect: { error: 'BAD_USER_INPUT', field: 'Argument "after"' } },
  { name: 'candidates after of 10,000 characters', document: CANDIDATES, variables: { after: LONG }, expect: { error: 'BAD_USER_INPUT', field: 'Argument "after"' } },
  { name: 'candidate id of 10,000 characters', document: CANDIDATE, variables: { id: LONG }, expect: { error: 'BAD_USER_INPUT', field: 'Argument "id"', message: /is not a Candidate ID/ } },
  { name: 'candidate id of another organization', document: CANDIDATE, variables: { id: GLOBEX_HIRE }, expect: { value: null } },
  { name: 'job id of a candidate', document: JOB, variables: { id: HIRE }, expect: { error: 'BAD_USER_INPUT', field: 'Argument "id"', message: /is not a Job ID/ } },
  { name: 'hrisExportHistory jobId as HTML', document: HISTORY, variables: { jobId: HTML }, expect: { error: 'BAD_USER_INPUT', field: 'Argument "jobId"' } },
];

/** Row counts of every table, and a checksum of each HRIS table's rows. */
async function databaseSnapshot(service: TestService): Promise<Record<string, string | number>> {
  const tables = await service.prisma.$queryRaw<{ name: string }[]>`
    SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`;
  const snapshot: Record<string, string | number> = {};
  for (const { name } of tables) {
    const [row] = await service.prisma.$queryRawUnsafe<{ count: number }[]>(`SELECT count(*)::int AS count FROM "${name}"`);
    snapshot[`${name} rows`] = row!.count;
    if (name.startsWith('Hris')) {
      const [sum] = await service.prisma.$queryRawUnsafe<{ sum: string }[]>(
        `SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS sum FROM "${name}" t`,
      );
      snapshot[`${name} checksum`] = sum!.sum;
    }
  }
  return snapshot;
}

describe('bad input over the API', () => {
  let env: Environment;

  beforeAll(async () => {
    env = await startEnvironment();
    await connectOrFail(env.service, env.adminToken);
  });

  afterAll(async () => {
    await env?.stop();
  });

  it('has at least 50 rows, each named once', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(50);
    expect(new Set(ROWS.map((row) => row.name)).size).toBe(ROWS.length);
  });

  it('covers every mutation', () => {
    const mutations = Object.keys(buildSchema(env.service.services.registry).getMutationType()?.getFields() ?? {});
    expect(mutations.length).toBeGreaterThan(0);
    const covered = new Set(ROWS.map((row) => /(?:mutation|query)[^{]*\{\s*(\w+)/.exec(row.document)?.[1]));
    for (const mutation of mutations) expect(covered.has(mutation), `no row for Mutation.${mutation}`).toBe(true);
  });

  for (const row of ROWS) {
    it(row.name, async () => {
      const root = /(?:mutation|query)[^{]*\{\s*(\w+)/.exec(row.document)?.[1] ?? '';
      const before = await databaseSnapshot(env.service);
      const requestsBefore = env.sandbox.control.requests().length;

      const response = await env.service.app.fetch('http://test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization: `Bearer ${env.adminToken}` },
        body: JSON.stringify({ query: row.document, variables: row.variables }),
      });
      const text = await response.text();
      const body = JSON.parse(text) as { data?: Record<string, any> | null; errors?: { message: string; extensions?: { code?: string } }[] };
      const expectation = row.expect;

      if ('error' in expectation) {
        expect(body.errors, text.slice(0, 500)).toBeDefined();
        expect(body.errors?.[0]?.extensions?.code, text.slice(0, 500)).toBe(expectation.error);
        expect(body.errors?.[0]?.message).toContain(expectation.field);
        if (expectation.message) expect(body.errors?.[0]?.message).toMatch(expectation.message);
        expect(body.data?.[root] ?? null).toBeNull();
      } else {
        expect(body.errors, text.slice(0, 500)).toBeUndefined();
        expect(response.status).toBe(200);
        const value = body.data?.[root];
        if ('invalidInput' in expectation) {
          expect(value.__typename).toBe('InvalidInput');
          const problem = value.problems.find((candidate: { field: string }) => candidate.field === expectation.invalidInput);
          expect(problem, JSON.stringify(value.problems).slice(0, 500)).toBeDefined();
          expect(value.message).toContain(`${expectation.invalidInput}: `);
          if (expectation.message) expect(problem.message).toMatch(expectation.message);
        } else if ('candidateNotFound' in expectation) {
          expect(value.__typename).toBe('CandidateNotFound');
          expect(value.message).toMatch(expectation.candidateNotFound);
        } else {
          expect(value).toEqual(expectation.value);
        }
      }

      // The response is plain data: no stack trace, no database or library internals.
      for (const word of ['    at ', 'prisma', 'Prisma', 'relation "', 'INTERNAL_SERVER_ERROR']) expect(text).not.toContain(word);
      if (row.hidden) expect(text).not.toContain(row.hidden);
      expect(await databaseSnapshot(env.service)).toEqual(before);
      expect(env.sandbox.control.requests().length).toBe(requestsBefore);
    });
  }

  // Search text is matched literally: SQL, HTML, LIKE wildcards and malformed email addresses
  // are ordinary characters that no seeded name or email contains.
  const literalSearches = [SQL, HTML, '%', '_', 'a%e', '\\', 'zoe@@example.com', "O'Brien"];
  for (const search of literalSearches) {
    it(`candidates search ${JSON.stringify(search)} matches as text`, async () => {
      const all = await env.service.prisma.candidate.findMany({ where: { organization: { slug: 'demo' } } });
      const literal = all.filter((candidate) =>
        [candidate.firstName, candidate.lastName, candidate.preferredName ?? '', candidate.email].some((text) => text.toLowerCase().includes(search.toLowerCase())),
      );
      const { body } = await env.service.graphql('query ($q: String!) { candidates(filter: { search: $q }, first: 100) { totalCount } }', { q: search }, env.adminToken);
      expect(body.errors).toBeUndefined();
      expect(body.data.candidates.totalCount).toBe(literal.length);
      expect(literal.length).toBeLessThan(all.length);
    });
  }
});
