import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from '../../plugins/personio/sandbox/index.ts';
import { graphQLErrorCodes, type HiredCandidatesQuery, type HrisExportClient, type JobPipelineQuery, type JobsQuery } from '../../src/client/index.ts';
import {
  check,
  errorCodesOf,
  sandboxEmployeesWithEmail,
  sandboxLastRequestSequence,
  signIn,
  StepFailure,
  type DemoContext,
  type SignedInUser,
} from './context.ts';
import { createProgressBar, print, printTable } from './output.ts';
import { describeSummary, isEmployeeSummary, printAlreadyExported, printEmployeeSummary, printOutcomes, printPermissions } from './summaries.ts';

/** App ID of the sandbox's company: the subdomain of https://acme-gmbh.personio.com. */
const SANDBOX_APP_ID = 'acme-gmbh';
// The demo data spells this hire's department "Customer Succes" while the sandbox has
// "Customer Success", so the export shows a field that was not sent, with a suggestion.
const SINGLE_EXPORT_EMAIL = 'jean-luc.picard-martin@example.com';
const BULK_JOB_TITLE = 'Account Executive DACH';

/** Polls of a running bulk export: every 250 ms for at most 5 minutes. */
const POLL_INTERVAL_MS = 250;
const MAX_POLLS = 1200;
/** Maximum pages of 50 when listing hires. The bound stops a paging bug from looping forever. */
const MAX_PAGES = 40;

export interface DemoStep {
  title: string;
  run(context: DemoContext): Promise<void>;
}

type HiredCandidate = HiredCandidatesQuery['candidates']['edges'][number]['node'];
type Job = JobsQuery['jobs'][number];
type PipelineStage = NonNullable<JobPipelineQuery['job']>['stages'][number];

function fullName(candidate: { firstName: string; lastName: string }): string {
  return `${candidate.firstName} ${candidate.lastName}`;
}

function signedInLine(user: SignedInUser): string {
  return `${user.identity.name} <${user.identity.email}> (${user.identity.role})`;
}

async function listHiredCandidates(client: HrisExportClient): Promise<HiredCandidate[]> {
  const hired: HiredCandidate[] = [];
  let after: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const { candidates } = await client.HiredCandidates({ first: 50, after });
    hired.push(...candidates.edges.map((edge) => edge.node));
    if (!candidates.pageInfo.hasNextPage) return hired;
    after = candidates.pageInfo.endCursor;
  }
  throw new StepFailure(`The Hired list still had more pages after ${MAX_PAGES} pages of 50.`);
}

function hiredJobTitles(candidate: HiredCandidate): string {
  return candidate.applications
    .filter((application) => application.stage.kind === 'HIRED')
    .map((application) => application.job.title)
    .join(', ');
}

async function hiredStageOf(client: HrisExportClient, job: Job): Promise<PipelineStage> {
  const { job: pipeline } = await client.JobPipeline({ id: job.id, first: 100 });
  const stage = pipeline?.stages.find((candidate) => candidate.kind === 'HIRED');
  check(stage, `Job "${job.title}" has no Hired stage.`);
  return stage;
}

function otherPersonioHint(context: DemoContext): string {
  return (
    `The server did not call the sandbox on ${context.sandboxUrl} while connecting, so it talks to another Personio URL. ` +
    `Start the server with PERSONIO_BASE_URL=${context.sandboxUrl}, or stop it and let the demo start one.`
  );
}

const connectPersonio: DemoStep = {
  title: 'Connect Personio as the admin',
  async run(context) {
    const admin = await signIn(context, 'ADMIN');
    print(`Signed in as ${signedInLine(admin)}.`);
    const codes = await errorCodesOf(admin.client.Viewer());
    check(
      codes === null,
      `The server rejected the demo's token (${codes?.join(', ')}). A server the demo did not start must verify tokens with the same secret: ` +
        'run the demo with the JWT_SECRET or DATA_DIR that the server uses.',
    );

    const { hrisProviders } = await admin.client.HrisProviders();
    print();
    print('Installed HRIS providers:');
    printTable(
      ['Key', 'Name', 'Capabilities'],
      hrisProviders.map((provider) => [provider.key, provider.displayName, provider.capabilities.join(', ')]),
    );
    check(hrisProviders.some((provider) => provider.key === 'personio'), 'hrisProviders does not list personio.');
    for (const provider of hrisProviders) context.providerNames.set(provider.key, provider.displayName);

    const { hrisConnections } = await admin.client.HrisConnections();
    const existing = hrisConnections.find((connection) => connection.provider === 'personio');
    const sequenceBefore = await sandboxLastRequestSequence(context);
    print();
    print(
      existing
        ? `Personio is connected already (since ${existing.connectedAt}); connecting again with the sandbox credentials replaces them.`
        : `Connecting Personio with the sandbox credentials (client id ${DEFAULT_CLIENT_ID}, App ID ${SANDBOX_APP_ID}).`,
    );
    const { connectHris } = await admin.client.ConnectHris({
      input: { personio: { clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET, appId: SANDBOX_APP_ID } },
    });
    if (connectHris.__typename !== 'ConnectHrisSuccess') {
      if (connectHris.__typename === 'MissingPermissions') printPermissions(connectHris.permissions, []);
      // A reused server keeps its own PERSONIO_BASE_URL, which --sandbox-port does not change.
      const reachedSandbox = (await sandboxLastRequestSequence(context)) > sequenceBefore;
      throw new StepFailure(
        `connectHris returned ${connectHris.__typename}: ${connectHris.message}` +
          (reachedSandbox ? '' : ` ${otherPersonioHint(context)}`),
      );
    }

    const { connection } = connectHris;
    print(`Connected: ${connection.accountLabel ?? connection.provider}, status ${connection.status}. Permission report:`);
    printPermissions(connection.permissions, connection.warnings);
    check(connection.status === 'CONNECTED', `The connection's status is ${connection.status}, expected CONNECTED.`);
    const missing = connection.permissions.filter((permission) => permission.required && permission.status !== 'GRANTED');
    check(missing.length === 0, `Required permissions are not granted: ${missing.map((permission) => permission.label).join(', ')}.`);
    check(
      (await sandboxLastRequestSequence(context)) > sequenceBefore,
      otherPersonioHint(context),
    );
  },
};

const exportOneHire: DemoStep = {
  title: 'List the Hired candidates and export one',
  async run(context) {
    const admin = await signIn(context, 'ADMIN');
    const hired = await listHiredCandidates(admin.client);
    print(`The demo organization has ${hired.length} candidates in a Hired stage:`);
    printTable(
      ['Candidate', 'Email', 'Hired for'],
      hired.map((candidate) => [fullName(candidate), candidate.email, hiredJobTitles(candidate)]),
    );
    const target = hired.find((candidate) => candidate.email.toLowerCase() === SINGLE_EXPORT_EMAIL);
    check(target, `${SINGLE_EXPORT_EMAIL} is not in the Hired list; the server's database lacks the demo data (SEED_DEMO_DATA or npm run db:seed).`);
    const name = fullName(target);

    print();
    print(`Exporting ${name} (${hiredJobTitles(target)}) to Personio...`);
    const { exportCandidateToHris: summary } = await admin.client.ExportCandidateToHris({ input: { candidateId: target.id } });

    if (summary.__typename === 'CandidateAlreadyExported') {
      printAlreadyExported(name, summary, context.providerNames);
      print('An earlier run exported this candidate; the outcomes of that export were:');
      const { candidate } = await admin.client.Candidate({ id: target.id });
      const stored = candidate?.hrisExports.find((hrisExport) => hrisExport.employeeId === summary.employeeId);
      check(stored, `The candidate page lists no export with employee id ${summary.employeeId}.`);
      printOutcomes(stored.fields, stored.documents);
      context.firstExport = { candidateId: target.id, name, email: target.email, employeeId: summary.employeeId, createdInThisRun: false };
      return;
    }
    check(isEmployeeSummary(summary), `The export returned ${describeSummary(summary)}, expected an employee in Personio.`);
    printEmployeeSummary(name, summary, context.providerNames);

    const employees = await sandboxEmployeesWithEmail(context, target.email);
    check(
      employees.some((employee) => String(employee.id) === summary.employeeId),
      `The sandbox has no employee ${summary.employeeId} with the email ${target.email}.`,
    );
    context.firstExport = { candidateId: target.id, name, email: target.email, employeeId: summary.employeeId, createdInThisRun: true };
  },
};

const bulkExportJob: DemoStep = {
  title: `Export the Hired stage of "${BULK_JOB_TITLE}" in bulk`,
  async run(context) {
    const admin = await signIn(context, 'ADMIN');
    const { jobs } = await admin.client.Jobs();
    const job = jobs.find((candidate) => candidate.title === BULK_JOB_TITLE);
    check(job, `No job "${BULK_JOB_TITLE}" exists; the server's database lacks the demo data.`);
    const stage = await hiredStageOf(admin.client, job);
    print(`${job.title} (${job.department ?? 'no department'}, ${job.office ?? 'no office'}) has ${stage.candidates.totalCount} candidates in its Hired stage.`);

    const { exportCandidatesToHris: started } = await admin.client.ExportCandidatesToHris({ input: { jobId: job.id, waitSeconds: 0 } });
    if (started.__typename !== 'HrisExportBatch') throw new StepFailure(`exportCandidatesToHris returned ${started.__typename}: ${started.message}`);
    print(`Bulk export ${started.id} started; following its progress:`);

    const progress = createProgressBar(started.total);
    let status = started.status;
    progress.update(started.done, `done, ${started.failed} failed`);
    for (let poll = 0; poll < MAX_POLLS && status === 'RUNNING'; poll++) {
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
      const { hrisExportBatch } = await admin.client.HrisExportBatchProgress({ id: started.id });
      check(hrisExportBatch, `hrisExportBatch(id: ${started.id}) returned null while the export ran.`);
      status = hrisExportBatch.status;
      progress.update(hrisExportBatch.done, `done, ${hrisExportBatch.failed} failed`);
    }
    progress.finish();

    const { hrisExportBatch: batch } = await admin.client.HrisExportBatch({ id: started.id });
    check(batch, `hrisExportBatch(id: ${started.id}) returned null after the export.`);
    print();
    printTable(
      ['Candidate', 'Outcome', 'Employee', 'Details'],
      batch.items.map((item) => {
        const summary = item.summary;
        const employee = summary && 'employeeId' in summary ? (summary.employeeId ?? '') : '';
        const notSent = isEmployeeSummary(summary) ? summary.notSent.map((field) => `${field.field}: ${field.status}`).join(', ') : '';
        const details = summary && !isEmployeeSummary(summary) && 'message' in summary ? summary.message : notSent;
        return [item.candidate ? fullName(item.candidate) : item.candidateId, item.outcome ?? item.status, employee, details];
      }),
    );
    print(`Totals: ${batch.totals.map((total) => `${total.outcome} ${total.count}`).join(', ')}; ${batch.succeeded} of ${batch.total} have an employee in Personio.`);

    check(batch.status === 'COMPLETED', `The bulk export ended ${batch.status} after ${(MAX_POLLS * POLL_INTERVAL_MS) / 1000} s at most, expected COMPLETED.`);
    check(batch.total === stage.candidates.totalCount, `The bulk export covered ${batch.total} candidates, the Hired stage has ${stage.candidates.totalCount}.`);
    check(batch.done === batch.total, `${batch.done} of ${batch.total} candidates were done.`);
    check(batch.failed === 0, `${batch.failed} candidates failed: see the table above.`);
    const unexpected = batch.items.filter((item) => !isEmployeeSummary(item.summary) && item.summary?.__typename !== 'CandidateAlreadyExported');
    check(unexpected.length === 0, `${unexpected.length} candidates have neither a new nor an earlier employee in Personio.`);
  },
};

interface RoleAttempt {
  user: SignedInUser;
  candidate: { id: string; firstName: string; lastName: string };
  job: Job;
  expectAllowed: boolean;
}

/** Runs one export as `user`. Returns 'allowed', 'rejected' or 'error', with a short note on what the service returned. */
async function attemptExport(attempt: RoleAttempt): Promise<{ verdict: 'allowed' | 'rejected' | 'error'; result: string }> {
  try {
    const { exportCandidateToHris: summary } = await attempt.user.client.ExportCandidateToHris({ input: { candidateId: attempt.candidate.id } });
    if (isEmployeeSummary(summary)) return { verdict: 'allowed', result: `exported as employee ${summary.employeeId}` };
    if (summary.__typename === 'CandidateAlreadyExported') return { verdict: 'allowed', result: `already employee ${summary.employeeId}` };
    if (summary.__typename === 'ExportNotAllowed' || summary.__typename === 'CandidateNotFound') return { verdict: 'rejected', result: summary.__typename };
    return { verdict: 'error', result: describeSummary(summary) };
  } catch (error) {
    const codes = graphQLErrorCodes(error);
    if (codes.includes('FORBIDDEN')) return { verdict: 'rejected', result: `GraphQL error ${codes.join(', ')}` };
    if (codes.length > 0) return { verdict: 'error', result: `GraphQL error ${codes.join(', ')}` };
    throw error;
  }
}

const checkRoles: DemoStep = {
  title: 'Check who may export',
  async run(context) {
    const admin = await signIn(context, 'ADMIN');
    const recruiter = await signIn(context, 'RECRUITER');
    const manager = await signIn(context, 'HIRING_MANAGER');
    const interviewer = await signIn(context, 'INTERVIEWER');
    const managerEmail = manager.identity.email.toLowerCase();

    // Jobs the two other steps leave alone, so that a first run shows new exports here.
    const { jobs } = await admin.client.Jobs();
    const firstExportJob = 'Customer Success Manager';
    const spare = jobs.filter((job) => job.title !== BULK_JOB_TITLE && job.title !== firstExportJob);
    const managed = (job: Job) => job.hiringManagers.some((user) => user.email.toLowerCase() === managerEmail);
    const ownJob = spare.find(managed);
    const otherJob = spare.find((job) => !managed(job));
    check(ownJob && otherJob, `The demo needs a job that ${manager.identity.name} manages and one they do not, besides "${BULK_JOB_TITLE}" and "${firstExportJob}".`);
    const ownHires = (await hiredStageOf(admin.client, ownJob)).candidates.edges.map((edge) => edge.node);
    const otherHires = (await hiredStageOf(admin.client, otherJob)).candidates.edges.map((edge) => edge.node);
    const [forRecruiter, forManager, forInterviewer] = ownHires;
    const [notManaged] = otherHires;
    check(forRecruiter && forManager && forInterviewer, `"${ownJob.title}" needs at least 3 hires, it has ${ownHires.length}.`);
    check(notManaged, `"${otherJob.title}" has no hire.`);

    const attempts: RoleAttempt[] = [
      { user: recruiter, candidate: forRecruiter, job: ownJob, expectAllowed: true },
      { user: manager, candidate: forManager, job: ownJob, expectAllowed: true },
      { user: manager, candidate: notManaged, job: otherJob, expectAllowed: false },
      { user: interviewer, candidate: forInterviewer, job: ownJob, expectAllowed: false },
    ];
    print(`${manager.identity.name} manages "${ownJob.title}" but not "${otherJob.title}". Each user tries to export one hire:`);
    const rows: string[][] = [];
    const wrong: string[] = [];
    for (const attempt of attempts) {
      const { verdict, result } = await attemptExport(attempt);
      const expected = attempt.expectAllowed ? 'allowed' : 'rejected';
      const who = `${attempt.user.identity.name} (${attempt.user.identity.role})`;
      rows.push([who, fullName(attempt.candidate), attempt.job.title, `${verdict}: ${result}`, verdict === expected ? 'ok' : `WRONG, expected ${expected}`]);
      if (verdict !== expected) wrong.push(`${who} exporting ${fullName(attempt.candidate)}: expected ${expected}, got ${result}`);
    }
    printTable(['User', 'Hire', 'Job', 'Result', 'Check'], rows);
    check(wrong.length === 0, wrong.join('; '));
  },
};

const exportAgain: DemoStep = {
  title: 'Export the first hire again',
  async run(context) {
    const first = context.firstExport;
    check(first, 'Step 2 did not export a candidate.');
    const admin = await signIn(context, 'ADMIN');
    const before = await sandboxEmployeesWithEmail(context, first.email);

    const { exportCandidateToHris: summary } = await admin.client.ExportCandidateToHris({ input: { candidateId: first.candidateId } });
    if (summary.__typename !== 'CandidateAlreadyExported') {
      throw new StepFailure(`Exporting ${first.name} again returned ${describeSummary(summary)}, expected CandidateAlreadyExported.`);
    }
    printAlreadyExported(first.name, summary, context.providerNames);
    check(summary.employeeId === first.employeeId, `The repeated export names employee ${summary.employeeId}, step 2 named ${first.employeeId}.`);

    const after = await sandboxEmployeesWithEmail(context, first.email);
    print(`Employees with the email ${first.email} in the sandbox (GET ${context.sandboxUrl}/__sandbox/employees): ${after.length}.`);
    check(after.length === before.length, `The sandbox had ${before.length} employees with the email ${first.email} before the repeated export and ${after.length} after.`);
    if (first.createdInThisRun) {
      check(after.length === 1 && String(after[0]?.id) === first.employeeId, `Expected only employee ${first.employeeId} in the sandbox, found ids ${after.map((employee) => employee.id).join(', ')}.`);
    } else {
      check(after.length <= 1, `The sandbox has ${after.length} employees with the email ${first.email}.`);
      if (after.length === 0) print('The sandbox holds no such employee: it was restarted after the earlier run that exported this candidate.');
    }
  },
};

/** The demo's steps, in order; each one relies on the ones before it. */
export const DEMO_STEPS: readonly DemoStep[] = [connectPersonio, exportOneHire, bulkExportJob, checkRoles, exportAgain];
