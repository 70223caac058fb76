import { InvalidJobDataError, JOB_NAMES, JOBS, QUEUES, UnknownJobError, isJobName, parseJobData, retryOptions } from './registry';

const ORG = '0b6f3c1e-6a0e-4c8f-9a59-0c7d3c1a2b10';
const INV = '5f1d2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b';

describe('job registry', () => {
  it('puts every job on a known queue', () => {
    for (const name of JOB_NAMES) expect(Object.keys(QUEUES)).toContain(JOBS[name].queue);
    expect(JOB_NAMES).toEqual(Object.keys(JOBS));
  });

  it("turns a job's retry policy into BullMQ options, with an override", () => {
    expect(retryOptions('reminder.send')).toEqual({ attempts: 5, backoff: { type: 'exponential', delay: 5_000 } });
    expect(retryOptions('sweep.clinic')).toEqual({ attempts: 3, backoff: { type: 'exponential', delay: 10_000 } });
    expect(retryOptions('sweep.clinic', { backoffMs: 10 })).toEqual({ attempts: 3, backoff: { type: 'exponential', delay: 10 } });
  });

  it.each([
    ['a valid payload', true, { organizationId: ORG, invitationId: INV }],
    ['a missing invitationId', false, { organizationId: ORG }],
    ['a non-uuid organizationId', false, { organizationId: 'acme', invitationId: INV }],
    ['an extra field (payloads carry ids only)', false, { organizationId: ORG, invitationId: INV, email: 'a@b.c' }],
    ['null', false, null],
  ])('staff.invitation.send with %s: accepted = %s', (_label, ok, data) => {
    if (ok) expect(parseJobData('staff.invitation.send', data)).toEqual(data);
    else expect(() => parseJobData('staff.invitation.send', data)).toThrow(InvalidJobDataError);
  });

  it('names the failing field in the error', () => {
    expect(() => parseJobData('staff.invitation.send', { organizationId: ORG, invitationId: 'nope' })).toThrow(/invitationId/);
  });

  it('rejects a job that is not in the registry', () => {
    expect(isJobName('staff.invitation.send')).toBe(true);
    expect(isJobName('toString')).toBe(false);
    expect(() => parseJobData('no.such.job', {})).toThrow(UnknownJobError);
  });
});
