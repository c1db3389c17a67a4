import type { HrisConnection } from '../generated/prisma/client.ts';
import type { StoredPermissionReport } from '../hris/connections.ts';
import type { PermissionCheck } from '../hris/plugin.ts';
import type { CredentialField, HrisRegistry, RegisteredPlugin } from '../hris/registry.ts';
import { builder } from './builder.ts';
import { requireViewer } from './context.ts';
import { requireId } from './ids.ts';
import {
  HrisConflictRef,
  HrisUnavailableRef,
  InvalidCredentialsRef,
  InvalidInputRef,
  MissingPermissionRef,
  PermissionCheckRef,
  RateLimitedRef,
  RejectedByHrisRef,
  failureTypeNames,
} from './results.ts';
import { UserRef } from './users.ts';

const adminScopes = { admin: true } as const;

const CapabilityEnum = builder.enumType('HrisCapability', {
  values: {
    documents: { value: 'documents', description: 'Files such as CVs can be attached to employees.' },
    updateEmployee: { value: 'updateEmployee', description: 'A repeated export updates changed fields.' },
    customAttributes: { value: 'customAttributes', description: 'Company-specific attributes are available.' },
  } as const,
});

const CredentialFieldRef = builder.objectRef<CredentialField>('HrisCredentialField').implement({
  description: 'One field of the form an admin fills in to connect the provider.',
  fields: (t) => ({
    key: t.exposeString('key', { description: 'Name of the field in the provider input of connectHris.' }),
    label: t.exposeString('label'),
    description: t.exposeString('description'),
    required: t.exposeBoolean('required'),
    secret: t.exposeBoolean('secret', { description: 'Render as a password field; the value is never returned.' }),
    example: t.exposeString('example', { nullable: true }),
  }),
});

const ProviderRef = builder.objectRef<RegisteredPlugin>('HrisProvider').implement({
  description: 'An installed HRIS plugin.',
  fields: (t) => ({
    key: t.string({ resolve: (plugin) => plugin.manifest.key }),
    displayName: t.string({ resolve: (plugin) => plugin.manifest.displayName }),
    documentationUrl: t.string({ resolve: (plugin) => plugin.manifest.documentationUrl }),
    capabilities: t.field({ type: [CapabilityEnum], resolve: (plugin) => [...plugin.manifest.capabilities] }),
    credentialFields: t.field({ type: [CredentialFieldRef], resolve: (plugin) => plugin.credentialFields }),
  }),
});

const ConnectionStatusEnum = builder.enumType('HrisConnectionStatus', {
  values: {
    CONNECTED: { description: 'Verified, with every permission exports need.' },
    NEEDS_ATTENTION: { description: 'The last check failed or found missing permissions; see lastError.' },
  } as const,
});

function storedReport(connection: HrisConnection): StoredPermissionReport | null {
  return (connection.permissionReport as StoredPermissionReport | null) ?? null;
}

export const HrisConnectionRef = builder.objectRef<HrisConnection>('HrisConnection');
builder.node(HrisConnectionRef, {
  id: { resolve: (connection) => connection.id },
  fields: (t) => ({
    provider: t.exposeString('provider'),
    status: t.field({
      type: ConnectionStatusEnum,
      resolve: (connection) => (connection.status === 'CONNECTED' ? 'CONNECTED' : 'NEEDS_ATTENTION'),
    }),
    accountLabel: t.exposeString('accountLabel', { nullable: true, description: 'Non-secret credential values that identify the account.' }),
    connectedBy: t.field({
      type: UserRef,
      nullable: true,
      resolve: (connection, _args, context) =>
        connection.connectedById ? requireViewer(context).loaders.user.load(connection.connectedById) : null,
    }),
    connectedAt: t.expose('connectedAt', { type: 'DateTime' }),
    lastVerifiedAt: t.expose('lastVerifiedAt', { type: 'DateTime', nullable: true }),
    lastError: t.exposeString('lastError', { nullable: true }),
    permissions: t.field({
      type: [PermissionCheckRef],
      description: 'The permission report of the last verification.',
      resolve: (connection) => storedReport(connection)?.permissions ?? [],
    }),
    warnings: t.field({
      type: [PermissionCheckRef],
      description: 'Optional permissions that are missing: exports work without them.',
      resolve: (connection) =>
        (storedReport(connection)?.permissions ?? []).filter((check) => !check.required && check.status === 'MISSING'),
    }),
  }),
});

type Tagged<Name extends string, T> = T & { __typename: Name };
const tag = <Name extends string, T extends object>(name: Name, value: T): Tagged<Name, T> => ({ ...value, __typename: name });

const ConnectHrisSuccessRef = builder.objectRef<{ connection: HrisConnection }>('ConnectHrisSuccess').implement({
  fields: (t) => ({ connection: t.field({ type: HrisConnectionRef, resolve: (value) => value.connection }) }),
});

const MissingPermissionsRef = builder.objectRef<{ permissions: PermissionCheck[] }>('MissingPermissions').implement({
  description: 'The credentials work but lack permissions that exports need; nothing was stored.',
  fields: (t) => ({
    message: t.string({
      resolve: (value) => `The HRIS credential lacks: ${value.permissions.map((permission) => permission.label).join(', ')}.`,
    }),
    permissions: t.field({ type: [PermissionCheckRef], resolve: (value) => value.permissions }),
  }),
});

const ConnectHrisResult = builder.unionType('ConnectHrisResult', {
  types: [
    ConnectHrisSuccessRef,
    InvalidInputRef,
    InvalidCredentialsRef,
    MissingPermissionsRef,
    HrisUnavailableRef,
    RateLimitedRef,
    MissingPermissionRef,
    RejectedByHrisRef,
    HrisConflictRef,
  ],
  resolveType: (value) => (value as unknown as { __typename: string }).__typename,
});

function pascalCase(key: string): string {
  return key.replace(/(^|-)([a-z0-9])/g, (_match, _dash, letter: string) => letter.toUpperCase());
}

function camelCase(key: string): string {
  const pascal = pascalCase(key);
  return pascal.charAt(0).toLowerCase() + pascal.slice(1);
}

/**
 * Adds the connectHris input: a @oneOf input with one field per installed provider, each an
 * input object derived from the provider's credential schema. Called once before the
 * schema is built, with the plugins the composition root installed.
 */
export function defineConnectInput(registry: HrisRegistry) {
  const plugins = registry.list();
  const providerInputs = plugins.map((plugin) => ({
    plugin,
    input: builder.inputType(`${pascalCase(plugin.manifest.key)}CredentialsInput`, {
      description: `Credentials of a ${plugin.manifest.displayName} account. Setup guide: ${plugin.manifest.documentationUrl}`,
      fields: (t) =>
        Object.fromEntries(
          plugin.credentialFields.map((field) => [
            field.key,
            t.string({ required: field.required, description: field.example ? `${field.description} Example: ${field.example}` : field.description }),
          ]),
        ),
    }),
  }));

  const ConnectInput = builder.inputType('ConnectHrisInput', {
    description: 'Exactly one provider field, holding that provider\'s credentials.',
    isOneOf: true,
    fields: (t) =>
      Object.fromEntries(providerInputs.map(({ plugin, input }) => [camelCase(plugin.manifest.key), t.field({ type: input, required: false })])),
  });

  builder.mutationField('connectHris', (t) =>
    t.field({
      type: ConnectHrisResult,
      authScopes: adminScopes,
      description:
        'Connects (or reconnects) an HRIS account for the organization. Admins only. The credentials are verified and the permissions exports need are checked before anything is stored; a failed reconnect keeps the existing connection.',
      args: { input: t.arg({ type: ConnectInput, required: true }) },
      resolve: async (_root, args, context) => {
        const { viewer } = requireViewer(context);
        const entries = Object.entries(args.input as Record<string, Record<string, unknown> | null | undefined>).filter(
          ([, value]) => value != null,
        );
        const [fieldName, raw] = entries[0] ?? [];
        const plugin = plugins.find((candidate) => camelCase(candidate.manifest.key) === fieldName);
        if (!plugin || !raw) {
          return tag('InvalidInput', { problems: [{ field: 'input', message: 'Give exactly one provider field with its credentials.' }] });
        }
        const result = await context.services.connections.connect(
          { organizationId: viewer.organization.id, userId: viewer.user.id },
          plugin.manifest.key,
          raw,
        );
        switch (result.kind) {
          case 'CONNECTED':
            return tag('ConnectHrisSuccess', { connection: result.connection });
          case 'INVALID_INPUT':
            return tag('InvalidInput', {
              problems: result.problems.map((problem) => ({ ...problem, field: problem.field.replace(/^credentials\./, `input.${fieldName}.`) })),
            });
          case 'MISSING_PERMISSIONS':
            return tag('MissingPermissions', { permissions: result.permissions });
          case 'HRIS_FAILURE':
            return tag(failureTypeNames[result.failure.kind], result.failure);
        }
      },
    }),
  );
}

builder.queryFields((t) => ({
  hrisProviders: t.field({
    type: [ProviderRef],
    authScopes: adminScopes,
    description: 'Installed HRIS plugins with the credential fields their connect form needs. Admins only.',
    resolve: (_root, _args, context) => context.services.registry.list(),
  }),
  hrisConnections: t.field({
    type: [HrisConnectionRef],
    authScopes: { $any: { admin: true, recruiter: true, hiringManager: true } },
    description: 'Active HRIS connections of the organization, for the integrations page and export buttons.',
    resolve: async (_root, _args, context) =>
      context.services.connections.findActive(requireViewer(context).viewer.organization.id),
  }),
}));

const DisconnectResultRef = builder.objectRef<{ disconnected: boolean }>('DisconnectHrisResult').implement({
  fields: (t) => ({ disconnected: t.exposeBoolean('disconnected', { description: 'False when the connection was unknown or already disconnected.' }) }),
});

builder.mutationFields((t) => ({
  checkHrisConnection: t.field({
    type: HrisConnectionRef,
    nullable: true,
    authScopes: adminScopes,
    description: 'Verifies a connection again and stores the new permission report. Null when the id is unknown.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, context) => {
      const id = requireId(args.id, 'HrisConnection', 'id');
      return context.services.connections.check(requireViewer(context).viewer.organization.id, id);
    },
  }),
  disconnectHris: t.field({
    type: DisconnectResultRef,
    authScopes: adminScopes,
    description: 'Disconnects an HRIS and deletes its stored credentials; export history stays.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, context) => {
      const id = requireId(args.id, 'HrisConnection', 'id');
      const disconnected = await context.services.connections.disconnect(requireViewer(context).viewer.organization.id, id);
      return { disconnected };
    },
  }),
}));
