import type { Organization, User } from '../generated/prisma/client.ts';
import { builder } from './builder.ts';
import { requireViewer } from './context.ts';

export const RoleEnum = builder.enumType('Role', {
  values: {
    ADMIN: { description: 'Manages the account and its HRIS connection; exports any hire.' },
    HIRING_MANAGER: { description: 'Sees and exports the hires of the jobs they manage.' },
    RECRUITER: { description: 'Sees and exports every hire of the organization.' },
    INTERVIEWER: { description: 'Reads only their own profile in this service.' },
  } as const,
});

export const OrganizationRef = builder.objectRef<Organization>('Organization');
builder.node(OrganizationRef, {
  description: 'An ATS customer account; every other object belongs to exactly one.',
  id: { resolve: (organization) => organization.id },
  fields: (t) => ({
    name: t.exposeString('name'),
    slug: t.exposeString('slug'),
  }),
});

export const UserRef = builder.objectRef<User>('User');
builder.node(UserRef, {
  id: { resolve: (user) => user.id },
  fields: (t) => ({
    name: t.exposeString('name'),
    email: t.exposeString('email'),
    role: t.expose('role', { type: RoleEnum }),
  }),
});

const ViewerRef = builder.objectRef<{ user: User; organization: Organization }>('Viewer');
ViewerRef.implement({
  description: 'The signed-in user.',
  fields: (t) => ({
    user: t.field({ type: UserRef, resolve: (viewer) => viewer.user }),
    role: t.field({ type: RoleEnum, resolve: (viewer) => viewer.user.role }),
    organization: t.field({ type: OrganizationRef, resolve: (viewer) => viewer.organization }),
  }),
});

builder.queryField('viewer', (t) =>
  t.field({
    type: ViewerRef,
    description: 'The signed-in user, their role and organization. Open to every role.',
    authScopes: { member: true },
    resolve: (_root, _args, context) => requireViewer(context).viewer,
  }),
);
