import type { PrismaClient } from '../db/client.ts';
import type { Organization, Role, User } from '../generated/prisma/client.ts';
import type { TokenIdentity } from './jwt.ts';

/** The authenticated caller, with the role as stored in the database. */
export interface Viewer {
  user: User;
  organization: Organization;
  role: Role;
}

/** Loads the token's user; returns null when the user does not exist in that organization. */
export async function loadViewer(prisma: PrismaClient, identity: TokenIdentity): Promise<Viewer | null> {
  const user = await prisma.user.findFirst({
    where: { id: identity.userId, organizationId: identity.organizationId },
    include: { organization: true },
  });
  if (!user) return null;
  const { organization, ...plainUser } = user;
  return { user: plainUser, organization, role: user.role };
}
