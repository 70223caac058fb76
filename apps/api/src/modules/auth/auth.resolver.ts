import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../../context';
import { AcceptInvitationInput, AuthPayload, SignInInput } from './auth.types';

@Resolver()
export class AuthResolver {
  @Mutation(() => AuthPayload, { description: 'Sign in with email and password' })
  signIn(@Arg('input', () => SignInInput) input: SignInInput, @Ctx() ctx: GraphQLContext): Promise<AuthPayload> {
    return ctx.services.auth.signIn(input, ctx.request);
  }

  @Mutation(() => AuthPayload, { description: 'Trade a refresh token for a new session; the old refresh token stops working' })
  refreshSession(@Arg('refreshToken') refreshToken: string, @Ctx() ctx: GraphQLContext): Promise<AuthPayload> {
    return ctx.services.auth.refresh(refreshToken, ctx.request);
  }

  @Mutation(() => Boolean, { description: 'End the session this refresh token belongs to' })
  signOut(@Arg('refreshToken') refreshToken: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    return ctx.services.auth.signOut(refreshToken);
  }

  @Mutation(() => AuthPayload, { description: 'Accept a staff invitation and sign in' })
  acceptInvitation(@Arg('input', () => AcceptInvitationInput) input: AcceptInvitationInput, @Ctx() ctx: GraphQLContext): Promise<AuthPayload> {
    return ctx.services.auth.acceptInvitation(input, ctx.request);
  }
}
