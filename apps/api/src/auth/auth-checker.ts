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
export const authChecker: AuthChecker<GraphQLContext, Role> = ({ context, info }, roles) => {
  const tenant = requireTenant(context);
  if (roles.length === 0 || roles.some((r) => tenant.roles.includes(r))) return true;
  throw forbidden(
    `Only a ${roles.map((r) => ROLE_NAMES[r]).join(' or ')} can ${info.fieldName}; your role is ${tenant.roles.map((r) => ROLE_NAMES[r]).join(', ') || 'none'}.`,
  );
};
