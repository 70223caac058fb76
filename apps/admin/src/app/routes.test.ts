import { describe, expect, it } from '@jest/globals';
import { ROUTES, mayOpen, navFor } from './routes';

const labels = (roles: Parameters<typeof navFor>[0]) => navFor(roles).map((r) => r.nav?.label);

/** Each role's navigation is derived from the route table's who-may-see (and nav.access). */
describe('navFor', () => {
  it('gives a practitioner their day and no dashboard (their `/` forwards to it)', () => {
    const nav = labels(['PRACTITIONER']);
    expect(nav).toContain('My day');
    expect(nav).not.toContain('Dashboard');
    expect(nav).not.toContain('Operations');
    expect(nav).not.toContain('Staff');
  });

  it('gives the front desk the dashboard and calendar but no clinical or admin pages', () => {
    const nav = labels(['FRONT_DESK']);
    expect(nav).toEqual(expect.arrayContaining(['Dashboard', 'Calendar', 'Clients']));
    for (const hidden of ['My day', 'Staff', 'Reminders', 'Operations', 'Audit log']) expect(nav).not.toContain(hidden);
  });

  it('gives an organization admin every entry, operations and the audit log among them', () => {
    const nav = labels(['ORG_ADMIN']);
    expect(nav).toEqual(ROUTES.filter((r) => r.nav).map((r) => r.nav?.label));
  });

  it('lists only paths the role may open', () => {
    for (const roles of [['PRACTITIONER'], ['FRONT_DESK'], ['CLINIC_MANAGER'], ['ORG_ADMIN']] as const) {
      for (const r of navFor(roles)) expect(mayOpen(r.access, roles)).toBe(true);
    }
  });
});
