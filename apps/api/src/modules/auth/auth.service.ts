import { randomUUID, type KeyObject } from 'node:crypto';
import { appendAudit, Invitation, Membership, Organization, RefreshToken, User, type Clock, type Db, type RequestScope, systemClock, type Role } from '@fascia/db';
import { verifyInvitationToken } from '@fascia/jobs';
import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import type { ApiConfig } from '../../config';
import type { RequestInfo, Tenant } from '../../context';
import { badInput, tooManyRequests, unauthenticated } from '../../common/errors';
import { email, parse, uuid } from '../../common/validation';
import { burnPasswordCheck, hashPassword, PASSWORD_MAX, PASSWORD_MIN, verifyPassword } from '../../auth/passwords';
import { AccessTokenVerifier, accessTokenKey, hashToken, newRefreshToken, signAccessToken } from '../../auth/tokens';
import type { MeType } from '../organization/organization.types';
import { clinicScope } from '../../auth/scope';
import { SignInLimits, type SignInBlock } from '../../auth/sign-in-limits';

export interface Session {
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  me: MeType;
}

const signInSchema = z.object({
  email,
  password: z.string().min(1, 'must not be empty').max(PASSWORD_MAX),
  organizationId: uuid.nullish(),
});
const newPassword = z
  .string()
  .min(PASSWORD_MIN, `must be at least ${PASSWORD_MIN} characters`)
  .max(PASSWORD_MAX, `must be at most ${PASSWORD_MAX} characters`);

const WRONG_CREDENTIALS = 'The email or password is wrong.';

/** The audit event of a refused sign-in: `auth.sign_in`, or the operation that checked the password. */
interface DeniedSignIn {
  action: string;
  actorUserId?: string;
  organizationId?: string;
  recordType?: string;
  recordId?: string;
}

/**
 * A refusal decided inside a transaction whose writes must still commit (the audit of a
 * failed sign-in, the revocation of a reused token's family): returned, then thrown after commit.
 */
class Refusal {
  constructor(readonly message: string) {}
}

export class AuthService {
  private readonly tokenKey: KeyObject;
  /** Access tokens checked once and remembered until they expire (auth/tokens.ts). */
  private readonly accessTokens: AccessTokenVerifier;

  constructor(
    private readonly db: Db,
    private readonly config: ApiConfig,
    private readonly clock: Clock = systemClock,
    private readonly limits: SignInLimits = new SignInLimits(db),
  ) {
    this.tokenKey = accessTokenKey(config.appSecret);
    this.accessTokens = new AccessTokenVerifier(this.tokenKey);
  }

  /**
   * Resolves the request's tenant from a bearer token: the session setup and the membership check
   * in one statement. With the request's scope, that statement opens the request's transaction
   * and the tenant returned is bound to it (services called with it share the transaction).
   */
  async resolveTenant(accessToken: string, request: RequestInfo, scope: RequestScope | null = null): Promise<Tenant> {
    const claims = this.accessTokens.verify(accessToken, this.clock.now());
    const base = {
      organizationId: claims.organizationId,
      userId: claims.userId,
      requestId: request.requestId,
      correlationId: request.correlationId,
      sourceAddress: request.sourceAddress,
    };
    // In a request's scope this opens the request's one transaction (BEGIN + this statement).
    const rows = await this.db.tenantSession(base, scope);
    if (rows.length === 0) throw unauthenticated('You no longer have access to this organization; sign in again.');
    const memberships = rows.map((r) => ({ role: r.role as Role, clinicIds: r.clinicIds }));
    const tenant: Tenant = {
      ...base,
      roles: [...new Set(memberships.map((r) => r.role))],
      clinicIds: clinicScope(memberships),
    };
    return scope?.isOpen ? scope.bind(tenant) : tenant;
  }

  async signIn(input: unknown, request: RequestInfo): Promise<Session> {
    const { email: mail, password, organizationId } = parse(signInSchema, input);
    const block = await this.limits.attempt(mail, request.sourceAddress);
    if (block) throw await this.refuseBlocked(mail, block, request);
    let passwordOk = false;
    const result = await this.db.system(async (em) => {
      const user = await em
        .createQueryBuilder(User, 'u')
        .addSelect('u.passwordHash')
        .where('u.email = :mail', { mail })
        .getOne();
      if (!user?.passwordHash) {
        await burnPasswordCheck(password);
        await this.audit(em, request, { action: 'auth.sign_in', outcome: 'DENIED', detail: { reason: 'unknown email' } });
        return new Refusal(WRONG_CREDENTIALS);
      }
      if (!(await verifyPassword(user.passwordHash, password))) {
        await this.audit(em, request, { action: 'auth.sign_in', outcome: 'DENIED', actorUserId: user.id, detail: { reason: 'wrong password' } });
        return new Refusal(WRONG_CREDENTIALS);
      }
      passwordOk = true;
      if (user.status !== 'ACTIVE') throw unauthenticated('This account is disabled; ask your organization admin.');
      const memberships = await em.find(Membership, { where: { userId: user.id, status: 'ACTIVE' }, order: { createdAt: 'ASC' } });
      if (memberships.length === 0) throw unauthenticated('You are not a member of any organization yet.');
      const orgId = organizationId ?? memberships[0].organizationId;
      if (!memberships.some((m) => m.organizationId === orgId)) {
        throw badInput('input.organizationId', 'You are not a member of that organization.');
      }
      await em.update(User, { id: user.id }, { lastSignInAt: this.clock.now() });
      await this.audit(em, request, { action: 'auth.sign_in', outcome: 'SUCCESS', actorUserId: user.id, organizationId: orgId });
      return this.issueSession(em, user.id, orgId, randomUUID(), request);
    }).finally(() => (passwordOk ? this.limits.succeeded(mail, request.sourceAddress) : undefined));
    if (result instanceof Refusal) throw unauthenticated(result.message);
    return result;
  }

  /**
   * Too many failed sign-ins for this account or from this address: audited (as `auth.sign_in`,
   * or the operation that checked the password, e.g. an invitation's acceptance), refused
   * without checking the password.
   */
  private async refuseBlocked(mail: string, block: SignInBlock, request: RequestInfo, event: DeniedSignIn = { action: 'auth.sign_in' }) {
    await this.db.system(async (em) => {
      const actorUserId = event.actorUserId ?? (await em.findOne(User, { where: { email: mail }, select: { id: true } }))?.id;
      await this.audit(em, request, {
        ...event,
        outcome: 'DENIED',
        actorUserId,
        detail: { reason: 'too many failed sign-ins', limit: block.limit, retryAfterSeconds: block.retryAfterSeconds },
      });
    });
    const minutes = Math.ceil(block.retryAfterSeconds / 60);
    const wait = `try again in ${minutes} minute${minutes === 1 ? '' : 's'}`;
    return tooManyRequests(
      block.limit === 'account'
        ? `Too many failed sign-ins for this account; ${wait}, or reset the password with your organization admin.`
        : `Too many failed sign-ins from your network; ${wait}.`,
      block.retryAfterSeconds,
    );
  }

  async refresh(refreshToken: string, request: RequestInfo): Promise<Session> {
    const result = await this.db.system(async (em) => {
      const row = await em
        .createQueryBuilder(RefreshToken, 't')
        .setLock('pessimistic_write')
        .where('t.tokenHash = :h', { h: hashToken(refreshToken) })
        .getOne();
      if (!row || row.revokedAt) return new Refusal('This session has ended; sign in again.');
      if (row.usedAt) {
        // A used token presented again means it leaked: end every session descended from it.
        await em.update(RefreshToken, { familyId: row.familyId }, { revokedAt: this.clock.now() });
        await this.audit(em, request, { action: 'auth.refresh_reuse', outcome: 'DENIED', actorUserId: row.userId, organizationId: row.organizationId });
        return new Refusal('This refresh token was already used; for your safety the session was signed out. Sign in again.');
      }
      if (row.expiresAt.getTime() <= this.clock.now().getTime()) return new Refusal('This session has expired; sign in again.');
      const active = await em.countBy(Membership, { userId: row.userId, organizationId: row.organizationId, status: 'ACTIVE' });
      if (active === 0) return new Refusal('You no longer have access to this organization; sign in again.');
      await em.update(RefreshToken, { id: row.id }, { usedAt: this.clock.now() });
      return this.issueSession(em, row.userId, row.organizationId, row.familyId, request);
    });
    if (result instanceof Refusal) throw unauthenticated(result.message);
    return result;
  }

  async signOut(refreshToken: string): Promise<boolean> {
    return this.db.system(async (em) => {
      const row = await em.findOneBy(RefreshToken, { tokenHash: hashToken(refreshToken) });
      if (!row) return false;
      await em.update(RefreshToken, { familyId: row.familyId }, { revokedAt: this.clock.now() });
      return true;
    });
  }

  /**
   * Accepts an invitation: a new login chooses its password; an existing account enters its
   * own, which is a sign-in — counted against the sign-in limits (per account and per address,
   * shared with `signIn`) before it is checked, a wrong one audited as DENIED.
   */
  async acceptInvitation(input: { token: string; password: string }, request: RequestInfo): Promise<Session> {
    const verified = verifyInvitationToken(input.token, this.config.appSecret, this.clock.now());
    if (!verified) throw badInput('input.token', 'This invitation link is not valid or has expired; ask for a new invitation.');
    const invitee = await this.existingInvitee(verified.invitationId);
    if (invitee) {
      const block = await this.limits.attempt(invitee.email, request.sourceAddress);
      if (block) throw await this.refuseBlocked(invitee.email, block, request, invitee.event);
    }
    let counted = invitee?.email ?? null;
    let passwordOk = false;
    const result = await this.db.system(async (em) => {
      const inv = await em
        .createQueryBuilder(Invitation, 'i')
        .setLock('pessimistic_write')
        .where('i.id = :id', { id: verified.invitationId })
        .getOne();
      if (!inv || inv.expiresAt.getTime() <= this.clock.now().getTime()) {
        throw badInput('input.token', 'This invitation link is not valid or has expired; ask for a new invitation.');
      }
      if (inv.acceptedAt) throw badInput('input.token', 'This invitation was already accepted; sign in instead.');
      const user = await em.createQueryBuilder(User, 'u').addSelect('u.passwordHash').where('u.id = :id', { id: inv.userId }).getOneOrFail();
      if (user.status === 'DISABLED') throw unauthenticated('This account is disabled; ask your organization admin.');
      const event = { action: 'staff.invitation_accepted', actorUserId: user.id, organizationId: inv.organizationId, recordType: 'invitation', recordId: inv.id };
      if (user.passwordHash) {
        if (counted !== user.email) {
          // The account got its password after the first read (another invitation accepted meanwhile): count now.
          const block = await this.limits.attempt(user.email, request.sourceAddress);
          if (block) throw await this.refuseBlocked(user.email, block, request, event);
          counted = user.email;
        }
        if (!(await verifyPassword(user.passwordHash, input.password))) {
          await this.audit(em, request, { ...event, outcome: 'DENIED', detail: { reason: 'wrong password' } });
          return new Refusal('You already have a Fascia account: enter its password to accept this invitation.');
        }
        passwordOk = true;
      } else {
        const password = parse(newPassword, input.password, 'input.password');
        await em.update(User, { id: user.id }, { passwordHash: await hashPassword(password) });
      }
      await em.update(User, { id: user.id }, { status: 'ACTIVE' });
      // The invitation was found by its token's id; from here on its organization is known and named (issue 16 §1).
      await em.update(Membership, { organizationId: inv.organizationId, id: inv.membershipId }, { status: 'ACTIVE' });
      await em.update(Invitation, { organizationId: inv.organizationId, id: inv.id }, { acceptedAt: this.clock.now() });
      await this.audit(em, request, { ...event, outcome: 'SUCCESS' });
      return this.issueSession(em, user.id, inv.organizationId, randomUUID(), request);
    }).finally(() => (passwordOk && counted ? this.limits.succeeded(counted, request.sourceAddress) : undefined));
    if (result instanceof Refusal) throw badInput('input.password', result.message);
    return result;
  }

  /** The invited account when it already has a password and the invitation is open: its email and the audit event's fields. */
  private existingInvitee(invitationId: string): Promise<{ email: string; event: DeniedSignIn } | null> {
    return this.db.system(async (em) => {
      const inv = await em.findOneBy(Invitation, { id: invitationId });
      if (!inv || inv.acceptedAt || inv.expiresAt.getTime() <= this.clock.now().getTime()) return null;
      const user = await em.createQueryBuilder(User, 'u').addSelect('u.passwordHash').where('u.id = :id', { id: inv.userId }).getOne();
      if (!user?.passwordHash) return null;
      return {
        email: user.email,
        event: { action: 'staff.invitation_accepted', actorUserId: user.id, organizationId: inv.organizationId, recordType: 'invitation', recordId: inv.id },
      };
    });
  }

  private async issueSession(em: EntityManager, userId: string, organizationId: string, familyId: string, request: RequestInfo): Promise<Session> {
    const refresh = newRefreshToken();
    await em.insert(RefreshToken, {
      userId,
      organizationId,
      familyId,
      tokenHash: refresh.hash,
      expiresAt: new Date(this.clock.now().getTime() + this.config.refreshTokenTtlDays * 86_400_000),
      createdIp: request.sourceAddress,
    });
    const access = signAccessToken({ userId, organizationId }, this.tokenKey, this.config.accessTokenTtlSeconds, this.clock.now());
    // One connection per transaction: these run one after another anyway.
    const user = await em.findOneByOrFail(User, { id: userId });
    const organization = await em.findOneByOrFail(Organization, { id: organizationId });
    const memberships = await em.findBy(Membership, { userId, organizationId, status: 'ACTIVE' });
    return {
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt,
      refreshToken: refresh.token,
      me: {
        user,
        organization,
        roles: [...new Set(memberships.map((m) => m.role))],
        clinicIds: clinicScope(memberships) ?? [],
      },
    };
  }

  private audit(
    em: EntityManager,
    request: RequestInfo,
    e: { action: string; outcome: 'SUCCESS' | 'DENIED' | 'FAILURE'; actorUserId?: string; organizationId?: string; recordType?: string; recordId?: string; detail?: Record<string, unknown> },
  ): Promise<void> {
    return appendAudit(em, {
      ...e,
      organizationId: e.organizationId ?? null,
      actorUserId: e.actorUserId ?? null,
      requestId: request.requestId,
      correlationId: request.correlationId,
      sourceAddress: request.sourceAddress,
    });
  }
}
