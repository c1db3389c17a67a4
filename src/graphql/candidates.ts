import { resolveOffsetConnection } from '@pothos/plugin-relay';
import { GraphQLError } from 'graphql';
import type { Application, Candidate } from '../generated/prisma/client.ts';
import { canSeeJob } from '../ats/access.ts';
import { countCandidates, listCandidates, type CandidateFilter } from '../ats/candidates.ts';
import { formatCalendarDate } from '../dates.ts';
import type { DocumentSummary } from '../db/loaders.ts';
import { builder } from './builder.ts';
import { requireViewer, type GraphQLContext } from './context.ts';
import { requireId } from './ids.ts';
import { checkConnectionArguments, pageSize } from './pagination.ts';

/**
 * Longest accepted search term. Names and email addresses are far shorter, and the cap
 * bounds the pattern-matching work one request can ask of the database.
 */
const maxSearchLength = 500;

/** Roles that read candidates and jobs; interviewers are left out on purpose. */
export const staffScopes = { $any: { admin: true, recruiter: true, hiringManager: true } } as const;

export const StageKindEnum = builder.enumType('StageKind', {
  values: ['APPLIED', 'SCREENING', 'INTERVIEW', 'OFFER', 'HIRED', 'REJECTED'] as const,
});

export const DocumentKindEnum = builder.enumType('DocumentKind', {
  values: ['CV', 'COVER_LETTER', 'OTHER'] as const,
});

export const CandidateRef = builder.objectRef<Candidate>('Candidate');
export const ApplicationRef = builder.objectRef<Application>('Application');
const DocumentRef = builder.objectRef<DocumentSummary>('CandidateDocument');

/** Returns the candidate when it exists in the caller's organization and the caller may see it. */
export async function loadVisibleCandidate(context: GraphQLContext, candidateId: string): Promise<Candidate | null> {
  const { loaders } = requireViewer(context);
  const [candidate, scope] = await Promise.all([loaders.candidate.load(candidateId), context.accessScope()]);
  if (!candidate) return null;
  if (scope.jobIds === null) return candidate;
  const applications = await loaders.applicationsByCandidate.load(candidateId);
  return applications.some((application) => canSeeJob(scope, application.jobId)) ? candidate : null;
}

const AddressRef = builder.objectRef<Candidate>('PostalAddress').implement({
  fields: (t) => ({
    street: t.exposeString('street', { nullable: true }),
    postalCode: t.exposeString('postalCode', { nullable: true }),
    city: t.exposeString('city', { nullable: true }),
    country: t.exposeString('country', { nullable: true }),
  }),
});

builder.node(CandidateRef, {
  id: { resolve: (candidate) => candidate.id },
  fields: (t) => ({
    firstName: t.exposeString('firstName'),
    lastName: t.exposeString('lastName'),
    preferredName: t.exposeString('preferredName', { nullable: true }),
    email: t.exposeString('email'),
    phone: t.exposeString('phone', { nullable: true }),
    gender: t.exposeString('gender', { nullable: true, description: 'Gender as entered in the ATS (free text).' }),
    dateOfBirth: t.field({
      type: 'Date',
      nullable: true,
      resolve: (candidate) => (candidate.dateOfBirth ? formatCalendarDate(candidate.dateOfBirth) : null),
    }),
    address: t.field({
      type: AddressRef,
      nullable: true,
      resolve: (candidate) =>
        candidate.street || candidate.postalCode || candidate.city || candidate.country ? candidate : null,
    }),
    nationality: t.exposeString('nationality', { nullable: true }),
    applications: t.field({
      type: [ApplicationRef],
      description: "The candidate's applications; a hiring manager sees only those in jobs they manage.",
      resolve: async (candidate, _args, context) => {
        const { loaders } = requireViewer(context);
        const [applications, scope] = await Promise.all([
          loaders.applicationsByCandidate.load(candidate.id),
          context.accessScope(),
        ]);
        return applications.filter((application) => canSeeJob(scope, application.jobId));
      },
    }),
    documents: t.field({
      type: [DocumentRef],
      resolve: (candidate, _args, context) => requireViewer(context).loaders.documentsByCandidate.load(candidate.id),
    }),
  }),
});

DocumentRef.implement({
  description: 'A file attached to a candidate, such as a CV. The content is not exposed here.',
  fields: (t) => ({
    id: t.exposeID('id'),
    kind: t.expose('kind', { type: DocumentKindEnum }),
    fileName: t.exposeString('fileName'),
    mimeType: t.exposeString('mimeType'),
    sizeBytes: t.exposeInt('sizeBytes'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const CandidateFilterInput = builder.inputType('CandidateFilter', {
  fields: (t) => ({
    status: t.field({ type: StageKindEnum, required: false, description: 'Only candidates with an application currently in a stage of this kind, for example HIRED.' }),
    jobId: t.id({ required: false, description: 'Only candidates who applied to this job.' }),
    search: t.string({ required: false, description: 'Case-insensitive match on name or email.' }),
  }),
});

function invalidFilter(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

/** C0 control characters and DEL; no name or email address contains one. */
const controlCharacter = /[\u0000-\u001f\u007f]/;

/** Checks the candidates filter and returns it with the job's database id. */
function parseCandidateFilter(input: { status?: CandidateFilter['status']; jobId?: string | number | null; search?: string | null } | null | undefined): CandidateFilter {
  const search = input?.search ?? null;
  if (search !== null) {
    if (search.trim() === '') {
      throw invalidFilter('Argument "filter.search" is empty; give part of a name or email address, or leave filter.search out to list every candidate.');
    }
    if (search.length > maxSearchLength) {
      throw invalidFilter(`Argument "filter.search" has ${search.length} characters; at most ${maxSearchLength} are accepted. Search by part of a name or email address.`);
    }
    if (controlCharacter.test(search)) {
      throw invalidFilter('Argument "filter.search" contains a control character such as a tab or a line break; search by part of a name or email address.');
    }
  }
  return {
    status: input?.status ?? null,
    jobId: input?.jobId == null ? null : requireId(input.jobId, 'Job', 'filter.jobId'),
    search,
  };
}

builder.queryFields((t) => ({
  candidates: t.connection({
    type: CandidateRef,
    authScopes: staffScopes,
    description: 'The candidates list, sorted by last name. Hiring managers see candidates of the jobs they manage.',
    args: { filter: t.arg({ type: CandidateFilterInput, required: false }) },
    resolve: async (_root, args, context) => {
      checkConnectionArguments(args);
      const filter = parseCandidateFilter(args.filter);
      const scope = await context.accessScope();
      const connection = await resolveOffsetConnection({ args, ...pageSize }, ({ offset, limit }) =>
        listCandidates(context.prisma, scope, filter, { offset, limit }),
      );
      return Object.assign(connection, { filter });
    },
  }, {
    fields: (c) => ({
      totalCount: c.int({
        description: 'Number of candidates matching the filter, across all pages.',
        resolve: async (connection, _args, context) => {
          const { filter } = connection as typeof connection & { filter: CandidateFilter };
          return countCandidates(context.prisma, await context.accessScope(), filter);
        },
      }),
    }),
  }),
  candidate: t.field({
    type: CandidateRef,
    nullable: true,
    authScopes: staffScopes,
    description: 'The candidate page. Null when the id is unknown or not visible to the caller.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, context) => {
      return loadVisibleCandidate(context, requireId(args.id, 'Candidate', 'id'));
    },
  }),
}));
