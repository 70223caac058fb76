import { Clinic, Invitation, Membership, Practitioner, ROLES, type Clock, type Db, systemClock, type Role } from '@fascia/db';
import { enqueue } from '@fascia/jobs';
import { In } from 'typeorm';
import { z } from 'zod';
import type { Tenant } from '../../context';
import { badInput, conflict, forbidden } from '../../common/errors';
import { decodeCursor, pageSize, toPage, type Page } from '../../common/pagination';
import { email, name, parse, uuid } from '../../common/validation';
import { assertReaches, linkPractitioner } from '../practitioner/practitioner.service';

export const INVITATION_TTL_DAYS = 7;

const inviteSchema = z.object({
  email,
  displayName: name(200),
  role: z.enum(ROLES),
  clinicIds: z.array(uuid).max(1000).nullish().transform((ids) => [...new Set(ids ?? [])]),
  practitionerId: uuid.nullish(),
});

const memberStatusSchema = z.enum(['INVITED', 'ACTIVE'], { message: 'must be INVITED or ACTIVE' }).nullable();

/** What the inviter typed, and nothing of the login (which may already exist, in another organization). */
export interface InvitationDto {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  practitionerId: string | null;
  expiresAt: Date;
}

export class StaffService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock = systemClock,
  ) {}

  members(tenant: Tenant, args: { first?: number | null; after?: string | null; status?: string | null }): Promise<Page<Membership>> {
    const size = pageSize(args.first);
    const after = decodeCursor(args.after, 'time');
    const status = parse(memberStatusSchema, args.status ?? null, 'status');
    return this.db.tenant(tenant, async (tx) => {
      const qb = tx.repo(Membership).qb('m').andWhere(`m.status <> 'REVOKED'`);
      if (status) qb.andWhere('m.status = :status', { status });
      const total = await qb.clone().getCount();
      if (after) qb.andWhere('(m.createdAt, m.id) > (:at::timestamptz, :id)', { at: after[0], id: after[1] });
      const rows = await qb.orderBy('m.createdAt', 'ASC').addOrderBy('m.id', 'ASC').take(size + 1).getMany();
      return toPage(rows, size, total, (m) => m.createdAt.toISOString());
    });
  }

  /**
   * Creates (or re-sends) an invitation: the login, the membership, the invitation and
   * the outbox row that makes the worker email it — all in one transaction.
   */
  invite(tenant: Tenant, input: unknown): Promise<InvitationDto> {
    const data = parse(inviteSchema, input);
    const isAdmin = tenant.roles.includes('ORG_ADMIN');
    if (!isAdmin) {
      if (data.role === 'ORG_ADMIN' || data.role === 'CLINIC_MANAGER') throw forbidden('Only an organization admin can invite admins or clinic managers.');
      if (data.clinicIds.length === 0 && tenant.clinicIds !== null) throw badInput('input.clinicIds', 'Choose the clinics this person will work in.');
      const outside = data.clinicIds.find((id) => tenant.clinicIds !== null && !tenant.clinicIds.includes(id));
      if (outside) throw forbidden(`You do not manage clinic ${outside}.`);
    }
    return this.db.tenant(tenant, async (tx) => {
      if (data.clinicIds.length) {
        const found = await tx.repo(Clinic).countBy({ id: In(data.clinicIds) });
        if (found !== data.clinicIds.length) throw badInput('input.clinicIds', 'One of the clinics does not exist in your organization.');
      }
      const practitioner = data.practitionerId ? await tx.repo(Practitioner).findOneBy({ id: data.practitionerId }) : null;
      if (data.practitionerId && !practitioner) {
        throw badInput('input.practitionerId', `No practitioner with id ${data.practitionerId} exists in your organization.`);
      }
      if (practitioner) await assertReaches(tx, tenant, practitioner.id);
      const [{ id: userId }] = (await tx.em.query('SELECT fascia_ensure_user($1, $2) AS id', [data.email, data.displayName])) as { id: string }[];
      // The invited login acts as this practitioner once it accepts (its membership is INVITED until then).
      if (practitioner) await linkPractitioner(tx, practitioner, userId, 'input.practitionerId');
      const repo = tx.repo(Membership);
      let membership = await repo.findOneBy({ userId, role: data.role });
      if (membership?.status === 'ACTIVE') {
        throw conflict(`${data.email} is already a ${data.role.toLowerCase().replace('_', ' ')} in your organization.`, { field: 'input.email' });
      }
      if (membership) {
        await repo.update({ id: membership.id }, { status: 'INVITED', clinicIds: data.clinicIds });
      } else {
        membership = await repo.insert({ userId, role: data.role, clinicIds: data.clinicIds, status: 'INVITED' });
      }
      const invitation = await tx.repo(Invitation).insert({
        userId,
        membershipId: membership.id,
        email: data.email,
        displayName: data.displayName,
        practitionerId: practitioner?.id ?? null,
        invitedBy: tenant.userId,
        expiresAt: new Date(this.clock.now().getTime() + INVITATION_TTL_DAYS * 86_400_000),
        acceptedAt: null,
      });
      await enqueue(tx.em, 'staff.invitation.send', { organizationId: tenant.organizationId, invitationId: invitation.id });
      await tx.audit({ action: 'staff.invite', recordType: 'invitation', recordId: invitation.id, detail: { role: data.role, practitionerId: practitioner?.id ?? null } });
      return { id: invitation.id, email: invitation.email, displayName: data.displayName, role: data.role, practitionerId: practitioner?.id ?? null, expiresAt: invitation.expiresAt };
    });
  }
}
