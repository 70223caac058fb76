import type { Clock, Db, ReferralStatus, ShareableRecordType } from '@fascia/db';
import type { Tenant } from '../../context';
import type { Page } from '../../common/pagination';
import { createReferral, draftFromNextStep, send } from './operations/create';
import { clientReferrals, getReferral, inbox, outbox, sharedRecords } from './operations/read';
import { assign, complete, linkClient, respond } from './operations/receiver';
import { referrerStep, withdrawConsent } from './operations/referrer';
import type { ReferralDeps } from './operations/shared';
import type {
  CreateReferralInput,
  LinkReferralClientInput,
  ReferralDraftType,
  ReferralFilter,
  ReferralReplyInput,
  ReferralType,
  SharedRecordsType,
} from './referral.types';

/**
 * Referrals (issue 12): a thin facade over `operations/` — create and send (create.ts), the
 * referrer's moves (referrer.ts), the receiver's (receiver.ts), the reads (read.ts). The state
 * table and the side-to-side writes live in packages/db (`referral/states.ts`,
 * `exchange/referrals.ts`), where the worker's expiry uses them too.
 */
export class ReferralService {
  private readonly deps: ReferralDeps;
  constructor(db: Db, clock: Clock) {
    this.deps = { db, clock };
  }

  create(tenant: Tenant, input: CreateReferralInput): Promise<ReferralType> {
    return createReferral(this.deps, tenant, input);
  }
  draftFromNextStep(tenant: Tenant, reassessmentId: string): Promise<ReferralDraftType | null> {
    return draftFromNextStep(this.deps, tenant, reassessmentId);
  }
  send(tenant: Tenant, id: string): Promise<ReferralType> {
    return send(this.deps, tenant, id);
  }
  cancel(tenant: Tenant, id: string, reason: string, expectedStatus: ReferralStatus | null = null): Promise<ReferralType> {
    return referrerStep(this.deps, tenant, 'CANCEL', id, reason, expectedStatus);
  }
  close(tenant: Tenant, id: string): Promise<ReferralType> {
    return referrerStep(this.deps, tenant, 'CLOSE', id, null);
  }
  withdrawConsent(tenant: Tenant, id: string, reason: string, expectedStatus: ReferralStatus | null = null): Promise<ReferralType> {
    return withdrawConsent(this.deps, tenant, id, reason, expectedStatus);
  }
  accept(tenant: Tenant, id: string, note: string | null, expectedStatus: ReferralStatus | null = null): Promise<ReferralType> {
    return respond(this.deps, tenant, 'ACCEPT', id, note, expectedStatus);
  }
  decline(tenant: Tenant, id: string, reason: string, expectedStatus: ReferralStatus | null = null): Promise<ReferralType> {
    return respond(this.deps, tenant, 'DECLINE', id, reason, expectedStatus);
  }
  assign(tenant: Tenant, id: string, practitionerId: string): Promise<ReferralType> {
    return assign(this.deps, tenant, id, practitionerId);
  }
  linkClient(tenant: Tenant, input: LinkReferralClientInput): Promise<ReferralType> {
    return linkClient(this.deps, tenant, input);
  }
  complete(tenant: Tenant, id: string, reply: ReferralReplyInput): Promise<ReferralType> {
    return complete(this.deps, tenant, id, reply);
  }
  get(tenant: Tenant, id: string): Promise<ReferralType | null> {
    return getReferral(this.deps, tenant, id);
  }
  outbox(tenant: Tenant, filter: ReferralFilter | null, first: number | null, after: string | null): Promise<Page<ReferralType>> {
    return outbox(this.deps, tenant, filter, first, after);
  }
  inbox(tenant: Tenant, filter: ReferralFilter | null, first: number | null, after: string | null): Promise<Page<ReferralType>> {
    return inbox(this.deps, tenant, filter, first, after);
  }
  forClient(tenant: Tenant, clientId: string): Promise<ReferralType[]> {
    return clientReferrals(this.deps, tenant, clientId);
  }
  sharedRecords(tenant: Tenant, referralId: string, types: ShareableRecordType[] | null): Promise<SharedRecordsType> {
    return sharedRecords(this.deps, tenant, referralId, types);
  }
}
