import { resolveArrayConnection } from '@pothos/plugin-relay';
import type { Job, PipelineStage } from '../generated/prisma/client.ts';
import { canSeeJob } from '../ats/access.ts';
import { formatCalendarDate } from '../dates.ts';
import { builder } from './builder.ts';
import { ApplicationRef, CandidateRef, StageKindEnum, staffScopes } from './candidates.ts';
import { requireViewer, type GraphQLContext } from './context.ts';
import { requireId } from './ids.ts';
import { checkConnectionArguments, pageSize } from './pagination.ts';
import { UserRef } from './users.ts';

export const JobRef = builder.objectRef<Job>('Job');
const StageRef = builder.objectRef<PipelineStage>('PipelineStage');

const JobStatusEnum = builder.enumType('JobStatus', { values: ['DRAFT', 'OPEN', 'CLOSED'] as const });
const EmploymentTypeEnum = builder.enumType('EmploymentType', {
  values: ['FULL_TIME', 'PART_TIME', 'CONTRACT', 'INTERNSHIP', 'TEMPORARY'] as const,
});

/** Returns the job when it exists in the caller's organization and the caller may see it. */
export async function loadVisibleJob(context: GraphQLContext, jobId: string): Promise<Job | null> {
  const { loaders } = requireViewer(context);
  const [job, scope] = await Promise.all([loaders.job.load(jobId), context.accessScope()]);
  return job && canSeeJob(scope, job.id) ? job : null;
}

builder.node(JobRef, {
  id: { resolve: (job) => job.id },
  fields: (t) => ({
    title: t.exposeString('title'),
    department: t.exposeString('department', { nullable: true }),
    office: t.exposeString('office', { nullable: true, description: 'Office or location.' }),
    employmentType: t.expose('employmentType', { type: EmploymentTypeEnum, nullable: true }),
    weeklyHours: t.float({ nullable: true, resolve: (job) => (job.weeklyHours === null ? null : Number(job.weeklyHours)) }),
    status: t.expose('status', { type: JobStatusEnum }),
    hiringManagers: t.field({
      type: [UserRef],
      resolve: (job, _args, context) => requireViewer(context).loaders.hiringManagersByJob.load(job.id),
    }),
    stages: t.field({
      type: [StageRef],
      description: 'The pipeline, in order.',
      resolve: (job, _args, context) => requireViewer(context).loaders.stagesByJob.load(job.id),
    }),
  }),
});

builder.node(StageRef, {
  id: { resolve: (stage) => stage.id },
  fields: (t) => ({
    name: t.exposeString('name'),
    position: t.exposeInt('position', { description: '0-based place in the pipeline.' }),
    kind: t.expose('kind', { type: StageKindEnum }),
    candidates: t.connection(
      {
        type: CandidateRef,
        description: 'Candidates currently in this stage, most recent first; each edge carries the application.',
        resolve: async (stage, args, context) => {
          checkConnectionArguments(args);
          const { loaders } = requireViewer(context);
          const applications = await loaders.applicationsByStage.load(stage.id);
          const candidates = await loaders.candidate.loadMany(applications.map((application) => application.candidateId));
          const edges = applications.map((application, index) => ({ application, candidate: candidates[index] }));
          const connection = resolveArrayConnection({ args, ...pageSize }, edges);
          return {
            ...connection,
            totalCount: applications.length,
            edges: connection.edges.map((edge) => ({ ...edge, node: edge.node.candidate as never, application: edge.node.application })),
          };
        },
      },
      {
        fields: (c) => ({
          totalCount: c.int({ resolve: (connection) => (connection as typeof connection & { totalCount: number }).totalCount }),
        }),
      },
      {
        fields: (e) => ({
          application: e.field({
            type: ApplicationRef,
            resolve: (edge) => (edge as typeof edge & { application: import('../generated/prisma/client.ts').Application }).application,
          }),
        }),
      },
    ),
  }),
});

builder.node(ApplicationRef, {
  id: { resolve: (application) => application.id },
  fields: (t) => ({
    candidate: t.field({
      type: CandidateRef,
      resolve: async (application, _args, context) => {
        const candidate = await requireViewer(context).loaders.candidate.load(application.candidateId);
        if (!candidate) throw new Error(`Application ${application.id} has no candidate`);
        return candidate;
      },
    }),
    job: t.field({
      type: JobRef,
      resolve: async (application, _args, context) => {
        const job = await requireViewer(context).loaders.job.load(application.jobId);
        if (!job) throw new Error(`Application ${application.id} has no job`);
        return job;
      },
    }),
    stage: t.field({
      type: StageRef,
      resolve: async (application, _args, context) => {
        const stage = await requireViewer(context).loaders.stage.load(application.stageId);
        if (!stage) throw new Error(`Application ${application.id} has no stage`);
        return stage;
      },
    }),
    stageEnteredAt: t.expose('stageEnteredAt', { type: 'DateTime' }),
    hiredAt: t.expose('hiredAt', { type: 'DateTime', nullable: true }),
    startDate: t.field({
      type: 'Date',
      nullable: true,
      description: 'First working day, a calendar date.',
      resolve: (application) => (application.startDate ? formatCalendarDate(application.startDate) : null),
    }),
    offeredPositionTitle: t.exposeString('offeredPositionTitle', { nullable: true }),
  }),
});

builder.queryFields((t) => ({
  jobs: t.field({
    type: [JobRef],
    authScopes: staffScopes,
    description: 'Jobs of the organization, newest first; hiring managers see the jobs they manage.',
    resolve: async (_root, _args, context) => {
      const scope = await context.accessScope();
      return context.prisma.job.findMany({
        where: {
          organizationId: scope.organizationId,
          ...(scope.jobIds === null ? {} : { id: { in: [...scope.jobIds] } }),
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
      });
    },
  }),
  job: t.field({
    type: JobRef,
    nullable: true,
    authScopes: staffScopes,
    description: 'A job with its pipeline. Null when the id is unknown or not visible to the caller.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, context) => {
      return loadVisibleJob(context, requireId(args.id, 'Job', 'id'));
    },
  }),
}));
