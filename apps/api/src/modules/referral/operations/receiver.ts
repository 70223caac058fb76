import { randomUUID } from 'node:crypto';
import {
  applyReferralStep,
  type Appointment,
  Client,
  grantToAssignee,
  lockReferralAsReceiver,
  type LockedReferral,
  Practitioner,
  PractitionerAvailability,
  type ReferralInbox,
  type ReferralStatus,
  type ReferralReplyBody,
  referralTransition,
  type TenantTx,
} from '@fascia/db';
import type { Tenant } from '../../../context';
import { AppError, badInput, notFound } from '../../../common/errors';
import { assertClientWritable, inClinicScope } from '../../../auth/scope';
import { parse, uuid } from '../../../common/validation';
import type { LinkReferralClientInput, ReferralReplyInput, ReferralType } from '../referral.types';
import { actorOf, assertMayAct, asAppError, callerPractitionerId, inTenant, notifyReferralChanged, receivedViews, receiverCaller, type ReferralDeps, text } from './shared';

/** Locks a referral addressed to the caller's organization, at a clinic the caller reaches. */
async function lockReceived(tx: TenantTx, tenant: Tenant, id: string): Promise<LockedReferral & { inbox: ReferralInbox }> {
  const locked = await lockReferralAsReceiver(tx, id);
  if (!inClinicScope(tenant, locked.inbox.clinicId)) throw notFound('referral', id);
  return locked;
}

async function view(tx: TenantTx, tenant: Tenant, inbox: ReferralInbox, now: Date): Promise<ReferralType> {
  return (await receivedViews(tx, tenant, [inbox], now, await callerPractitionerId(tx, tenant)))[0];
}

/** SENT → ACCEPTED or DECLINED (a reason required), by the addressed practitioner or the receiving clinic's manager. */
export function respond(
  deps: ReferralDeps,
  tenant: Tenant,
  action: 'ACCEPT' | 'DECLINE',
  id: string,
  note: string | null,
  expectedStatus: ReferralStatus | null = null,
): Promise<ReferralType> {
  parse(uuid, id, 'input.id');
  const reason = text(note, action === 'DECLINE' ? 'input.reason' : 'input.note', 2000, action === 'DECLINE');
  const now = deps.clock.now();
  return inTenant(deps, tenant, async (tx) => {
    const locked = await lockReceived(tx, tenant, id);
    assertMayAct(receiverCaller(tenant, locked.inbox, await callerPractitionerId(tx, tenant)), action === 'ACCEPT' ? 'accept' : 'decline');
    await applyReferralStep(tx, locked, { action, actor: await actorOf(tx, tenant), reason, now, expectedStatus, notify: notifyReferralChanged });
    await tx.audit({ action: `referral.${action.toLowerCase()}`, recordType: 'referral', recordId: id, detail: reason ? { reason } : null });
    return view(tx, tenant, locked.inbox, now);
  });
}

/** A pool's manager assigns a practitioner of the receiving clinic (who then receives the consent's grant). */
export function assign(deps: ReferralDeps, tenant: Tenant, id: string, practitionerId: string): Promise<ReferralType> {
  parse(uuid, id, 'input.id');
  parse(uuid, practitionerId, 'input.practitionerId');
  const now = deps.clock.now();
  return inTenant(deps, tenant, async (tx) => {
    const locked = await lockReceived(tx, tenant, id);
    const caller = receiverCaller(tenant, locked.inbox, await callerPractitionerId(tx, tenant));
    if (!caller.isManager) throw new AppError('FORBIDDEN', 'Only a manager of the receiving clinic (or an organization admin) can assign a referral.');
    if (locked.inbox.practitionerId) throw new AppError('CONFLICT', 'This referral is already addressed to a practitioner; only a pool referral is assigned.', { field: 'input.id' });
    const p = await tx.repo(Practitioner).findOneBy({ id: practitionerId });
    if (!p || p.archivedAt) throw badInput('input.practitionerId', `No practitioner with id ${practitionerId} works for your organization.`);
    if (p.discipline !== locked.inbox.discipline) throw badInput('input.practitionerId', `${p.displayName} is a ${p.discipline}; this referral asks for a ${locked.inbox.discipline}.`);
    if (!(await tx.repo(PractitionerAvailability).existsBy({ practitionerId, clinicId: locked.inbox.clinicId }))) {
      throw badInput('input.practitionerId', `${p.displayName} does not work at the clinic this referral was sent to.`);
    }
    await applyReferralStep(tx, locked, {
      action: 'ASSIGN',
      actor: await actorOf(tx, tenant),
      reason: `Assigned to ${p.displayName}`,
      now,
      inbox: { practitionerId },
      referral: { targetNames: { ...locked.referral.targetNames, practitionerName: p.displayName } },
      notify: notifyReferralChanged,
    });
    if (p.userId) await grantToAssignee(tx, locked, p.userId, now);
    await tx.audit({ action: 'referral.assign', recordType: 'referral', recordId: id, detail: { practitionerId } });
    return view(tx, tenant, locked.inbox, now);
  });
}

/**
 * Links the referred client to a client record of the receiver's own organization: an existing
 * one, or a new one made from what the referral carries. The two organizations' records stay apart.
 */
export function linkClient(deps: ReferralDeps, tenant: Tenant, input: LinkReferralClientInput): Promise<ReferralType> {
  parse(uuid, input.id, 'input.id');
  if (input.clientId) parse(uuid, input.clientId, 'input.clientId');
  if (!input.clientId === !input.createClient) throw badInput('input.clientId', 'Give either clientId (an existing client) or createClient: true, not both.');
  const now = deps.clock.now();
  return inTenant(deps, tenant, async (tx) => {
    const locked = await lockReceived(tx, tenant, input.id);
    const caller = receiverCaller(tenant, locked.inbox, await callerPractitionerId(tx, tenant));
    if (!(caller.mayAct || caller.mayBook)) throw new AppError('FORBIDDEN', 'Your role cannot link this referral’s client.');
    const verdict = referralTransition('LINK_CLIENT', 'RECEIVER', locked.inbox.status);
    if (!verdict.ok) throw new AppError(verdict.code, verdict.message, { field: 'input.id' });
    let clientId: string;
    if (input.clientId) {
      const c = await tx.repo(Client).findOneBy({ id: input.clientId });
      if (!c || c.archivedAt) throw badInput('input.clientId', `No client with id ${input.clientId} exists in your organization.`);
      await assertClientWritable(tx, tenant, c.id, 'referral.link-client', 'input.clientId');
      clientId = c.id;
    } else {
      const s = locked.inbox.clientSnapshot;
      clientId = randomUUID();
      await tx.repo(Client).insert({
        id: clientId,
        firstName: s.firstName,
        lastName: s.lastName,
        preferredName: s.preferredName,
        dateOfBirth: s.dateOfBirth,
        email: s.email,
        phone: s.phone,
        preferredChannels: [],
        reminderConsent: false,
        emergencyContact: null,
        paymentMethod: null,
        paymentNotes: null,
        clinicIds: [locked.inbox.clinicId],
        archivedAt: null,
      });
      await tx.audit({ action: 'client.create', recordType: 'client', recordId: clientId, detail: { fromReferral: input.id } });
    }
    await applyReferralStep(tx, locked, {
      action: 'LINK_CLIENT',
      actor: await actorOf(tx, tenant),
      reason: input.createClient ? 'Client record created from the referral' : 'Linked to an existing client record',
      now,
      inbox: { localClientId: clientId },
      notify: notifyReferralChanged,
    });
    await tx.audit({ action: 'referral.link-client', recordType: 'referral', recordId: input.id, detail: { clientId } });
    return view(tx, tenant, locked.inbox, now);
  });
}

/** SCHEDULED → COMPLETED with the reply, which the referrer then sees. */
export function complete(deps: ReferralDeps, tenant: Tenant, id: string, reply: ReferralReplyInput): Promise<ReferralType> {
  parse(uuid, id, 'input.id');
  const findings = text(reply.findings, 'input.reply.findings', 5000, true) as string;
  const treatment = text(reply.treatment, 'input.reply.treatment', 5000, false);
  const recommendations = text(reply.recommendations, 'input.reply.recommendations', 5000, false);
  const onwardReferral = text(reply.onwardReferral, 'input.reply.onwardReferral', 2000, false);
  const now = deps.clock.now();
  return inTenant(deps, tenant, async (tx) => {
    const locked = await lockReceived(tx, tenant, id);
    assertMayAct(receiverCaller(tenant, locked.inbox, await callerPractitionerId(tx, tenant)), 'complete');
    const actor = await actorOf(tx, tenant);
    const body: ReferralReplyBody = { findings, treatment, recommendations, onwardReferral, repliedAt: now.toISOString(), repliedByName: actor.name };
    await applyReferralStep(tx, locked, { action: 'COMPLETE', actor, now, referral: { reply: body }, notify: notifyReferralChanged });
    await tx.audit({ action: 'referral.complete', recordType: 'referral', recordId: id });
    return view(tx, tenant, locked.inbox, now);
  });
}

/**
 * Booking with `referralId` (bookAppointment): before the booking is stored, the referral is locked
 * and checked (ACCEPTED, its linked client is the booking's); `after` moves it to SCHEDULED with
 * the appointment, in the booking's transaction.
 */
export async function prepareReferralBooking(
  tx: TenantTx,
  tenant: Tenant,
  referralId: string,
  clientId: string,
): Promise<{ after: (appointment: Appointment, now: Date) => Promise<void> }> {
  try {
    const locked = await lockReceived(tx, tenant, referralId);
    const caller = receiverCaller(tenant, locked.inbox, await callerPractitionerId(tx, tenant));
    if (!caller.mayBook) throw new AppError('FORBIDDEN', 'Your role cannot book for this referral.', { field: 'input.referralId' });
    const verdict = referralTransition('BOOK', 'RECEIVER', locked.inbox.status);
    if (!verdict.ok) throw new AppError(verdict.code, verdict.message, { field: 'input.referralId' });
    if (!locked.inbox.localClientId) throw badInput('input.referralId', 'Link the referred client to a client record first (linkReferralClient), then book.');
    if (locked.inbox.localClientId !== clientId) throw badInput('input.clientId', 'The booking’s client is not the client linked to this referral.');
    const actor = await actorOf(tx, tenant);
    return {
      after: async (appointment, now) => {
        await applyReferralStep(tx, locked, { action: 'BOOK', actor, now, inbox: { appointmentId: appointment.id }, notify: notifyReferralChanged });
        await tx.audit({ action: 'referral.schedule', recordType: 'referral', recordId: referralId, detail: { appointmentId: appointment.id } });
      },
    };
  } catch (err) {
    throw asAppError(err);
  }
}
