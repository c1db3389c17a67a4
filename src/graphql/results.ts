import type { HrisFailure, PermissionCheck } from '../hris/plugin.ts';
import { builder } from './builder.ts';

/** Shared members of the result unions: expected failures are data, not thrown errors. */

export const FieldProblemRef = builder.objectRef<{ field: string; message: string }>('FieldProblem').implement({
  description: 'One invalid input field and how to fix it.',
  fields: (t) => ({
    field: t.exposeString('field', { description: 'Path of the input field, for example credentials.appId.' }),
    message: t.exposeString('message'),
  }),
});

export const InvalidInputRef = builder.objectRef<{ problems: { field: string; message: string }[] }>('InvalidInput').implement({
  description: 'The input was rejected before anything was sent or stored.',
  fields: (t) => ({
    message: t.string({ resolve: (value) => value.problems.map((problem) => `${problem.field}: ${problem.message}`).join(' ') }),
    problems: t.field({ type: [FieldProblemRef], resolve: (value) => value.problems }),
  }),
});

const PermissionStatusEnum = builder.enumType('PermissionStatus', {
  values: {
    GRANTED: { description: 'The credential has it.' },
    MISSING: { description: 'The credential lacks it; see remediation.' },
    UNVERIFIED: { description: 'The HRIS gives no way to check it without writing data.' },
  } as const,
});

export const PermissionCheckRef = builder.objectRef<PermissionCheck>('PermissionCheck').implement({
  fields: (t) => ({
    key: t.exposeString('key'),
    label: t.exposeString('label'),
    status: t.expose('status', { type: PermissionStatusEnum }),
    required: t.exposeBoolean('required', { description: 'False for permissions the HRIS setup offers but exports do not need; missing ones are warnings.' }),
    remediation: t.exposeString('remediation', { nullable: true, description: 'What to change in the HRIS to grant it.' }),
  }),
});

type Failure<K extends HrisFailure['kind']> = Extract<HrisFailure, { kind: K }>;

export const InvalidCredentialsRef = builder.objectRef<Failure<'INVALID_CREDENTIALS'>>('InvalidCredentials').implement({
  description: 'The HRIS rejected the client ID or secret.',
  fields: (t) => ({ message: t.exposeString('message') }),
});

export const MissingPermissionRef = builder.objectRef<Failure<'MISSING_PERMISSION'>>('MissingPermission').implement({
  description: 'The HRIS credential lacks a permission this operation needs.',
  fields: (t) => ({
    message: t.exposeString('message'),
    permission: t.exposeString('permission'),
    remediation: t.exposeString('remediation'),
  }),
});

export const RateLimitedRef = builder.objectRef<Failure<'RATE_LIMITED'>>('RateLimited').implement({
  description: 'The HRIS rate limit was reached and retries ran out.',
  fields: (t) => ({
    message: t.exposeString('message'),
    retryAfterSeconds: t.exposeInt('retryAfterSeconds', { nullable: true }),
  }),
});

export const RejectedByHrisRef = builder.objectRef<Failure<'REJECTED'>>('RejectedByHris').implement({
  description: 'The HRIS rejected the data.',
  fields: (t) => ({
    message: t.exposeString('message'),
    field: t.exposeString('field', { nullable: true }),
  }),
});

export const HrisUnavailableRef = builder.objectRef<Failure<'UNAVAILABLE'>>('HrisUnavailable').implement({
  description: 'The HRIS could not be reached, responded with a server error, or timed out.',
  fields: (t) => ({
    message: t.exposeString('message'),
    timedOut: t.exposeBoolean('timedOut'),
  }),
});

export const HrisConflictRef = builder.objectRef<Failure<'CONFLICT'>>('HrisConflict').implement({
  description: 'The HRIS reported a conflict with existing data.',
  fields: (t) => ({
    message: t.exposeString('message'),
    existingEmployeeId: t.exposeString('existingEmployeeId', { nullable: true }),
  }),
});

/** The union member for an HRIS failure; `resolveType` helpers use this. */
export const failureTypeNames: Record<HrisFailure['kind'], string> = {
  INVALID_CREDENTIALS: 'InvalidCredentials',
  MISSING_PERMISSION: 'MissingPermission',
  RATE_LIMITED: 'RateLimited',
  REJECTED: 'RejectedByHris',
  UNAVAILABLE: 'HrisUnavailable',
  CONFLICT: 'HrisConflict',
};
