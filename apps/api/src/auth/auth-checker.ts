import type { Role } from '@fascia/db';
import type { AuthChecker } from 'type-graphql';
import type { GraphQLContext } from '../context';
import { forbidden } from '../common/errors';
import { requireTenant } from './tenant.decorator';

const ROLE_NAMES: Record<Role, string> = {
  ORG_ADMIN: 'organization admin',
  CLINIC_MANAGER: 'clinic manager',
  FRONT_DESK: 'front desk',
  PRACTITIONER: 'practitioner',
};

/** The one authorization rule: `@Authorized()` needs a tenant, `@Authorized(roles)` one of those roles. */
export const authChecker: AuthChecker<GraphQLContext, Role> = ({ context, info }, roles) => hasRole(context, info.fieldName, roles);

/**
 * The same rule, called by a field resolver that runs once per row of a long list (an
 * appointment's `note`): type-graphql's `@Authorized` runs as an async middleware on every
 * call (four promises per row); this is a plain call, decided once per request and roles.
 * True, or throws as `@Authorized` does.
 */
export function hasRole(context: GraphQLContext, fieldName: string, roles: readonly Role[]): true {
  const tenant = requireTenant(context);
  if (roles.length === 0 || roles.some((r) => tenant.roles.includes(r))) return true;
  throw forbidden(
    `Only a ${roles.map((r) => ROLE_NAMES[r]).join(' or ')} can ${fieldName}; your role is ${tenant.roles.map((r) => ROLE_NAMES[r]).join(', ') || 'none'}.`,
  );
}
