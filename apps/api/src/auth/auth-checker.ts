import type { Role } from '@fascia/db';
import type { AuthChecker } from 'type-graphql';
import type { GraphQLContext } from '../context';
import { forbidden } from '../common/errors';
import { requireTenant } from './tenant.decorator';

/** Each role as a sentence names a person in it. */
const ROLE_NAMES: Record<Role, string> = {
  ORG_ADMIN: 'an organization admin',
  CLINIC_MANAGER: 'a clinic manager',
  FRONT_DESK: 'the front desk',
  PRACTITIONER: 'a practitioner',
};

/** What an operation does, in words, for the refusals people read; others are spelled out from their names. */
const ACTIONS: Record<string, string> = {
  members: 'see the staff list',
  inviteStaff: 'invite staff',
  createClinic: 'add a clinic',
  updateClinic: 'change a clinic',
  createRoom: 'add a room',
  createPractitioner: 'add a practitioner',
  updatePractitioner: 'change a practitioner',
  clearPractitionerAvailability: 'clear a practitioner’s weekly hours',
  linkPractitionerLogin: 'link a login to a practitioner',
  unlinkPractitionerLogin: 'unlink a practitioner’s login',
  queueHealth: 'see the queues’ health',
  reminderPolicy: 'see a clinic’s reminder policy',
  setReminderPolicy: 'change a clinic’s reminder policy',
  invitePartner: 'invite a referral partner',
  respondToPartnerInvitation: 'answer a partner’s invitation',
  endPartnership: 'end a referral partnership',
  exportReport: 'export a report',
  exportClientRecord: 'export a client’s record (FHIR)',
  fhirExports: 'see the organization’s FHIR exports',
  fhirExport: 'see the organization’s FHIR exports',
  startFhirExport: 'export the whole organization (FHIR)',
  downloadFhirExport: 'download the organization’s FHIR exports',
};

function spelledOut(fieldName: string, parentType: string): string {
  const words = fieldName.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return parentType === 'Mutation' ? words : `see ${words}`;
}

/** "a or b", "a, b or c". */
function either(names: string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

/** The refusal as a sentence: who may, what, and who the caller is. */
export function refusalMessage(allowed: readonly Role[], callerRoles: readonly Role[], fieldName: string, parentType: string): string {
  const action = ACTIONS[fieldName] ?? spelledOut(fieldName, parentType);
  const caller = callerRoles.length ? `you are signed in as ${either(callerRoles.map((r) => ROLE_NAMES[r]))}` : 'your account has no role in this organization';
  return `Only ${either(allowed.map((r) => ROLE_NAMES[r]))} can ${action}; ${caller}.`;
}

/** The one authorization rule: `@Authorized()` needs a tenant, `@Authorized(roles)` one of those roles. */
export const authChecker: AuthChecker<GraphQLContext, Role> = ({ context, info }, roles) => hasRole(context, info.fieldName, roles, info.parentType.name);

/**
 * The same rule, called by a field resolver that runs once per row of a long list (an
 * appointment's `note`): type-graphql's `@Authorized` runs as an async middleware on every
 * call (four promises per row); this is a plain call, decided once per request and roles.
 * True, or throws as `@Authorized` does.
 */
export function hasRole(context: GraphQLContext, fieldName: string, roles: readonly Role[], parentType = 'Query'): true {
  const tenant = requireTenant(context);
  if (roles.length === 0 || roles.some((r) => tenant.roles.includes(r))) return true;
  throw forbidden(refusalMessage(roles, tenant.roles, fieldName, parentType));
}
