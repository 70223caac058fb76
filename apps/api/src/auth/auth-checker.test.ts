import { refusalMessage } from './auth-checker';

describe('refusalMessage', () => {
  it.each([
    [['ORG_ADMIN', 'CLINIC_MANAGER'], ['PRACTITIONER'], 'members', 'Query', 'Only an organization admin or a clinic manager can see the staff list; you are signed in as a practitioner.'],
    [['ORG_ADMIN'], ['FRONT_DESK'], 'createClinic', 'Mutation', 'Only an organization admin can add a clinic; you are signed in as the front desk.'],
    [['ORG_ADMIN'], ['CLINIC_MANAGER'], 'invitePartner', 'Mutation', 'Only an organization admin can invite a referral partner; you are signed in as a clinic manager.'],
    // An operation without words of its own is spelled out from its name.
    [['ORG_ADMIN'], ['PRACTITIONER'], 'exportAuditLog', 'Mutation', 'Only an organization admin can export audit log; you are signed in as a practitioner.'],
    [['ORG_ADMIN'], [], 'deliveryLog', 'Query', 'Only an organization admin can see delivery log; your account has no role in this organization.'],
  ] as const)('%j refuse %j on %s', (allowed, caller, field, parent, expected) => {
    expect(refusalMessage(allowed, caller, field, parent)).toBe(expected);
  });
});
