import { useMutation } from '@apollo/client/react';
import { useNavigate, useSearchParams } from 'react-router';
import { z } from 'zod';
import { FormAlert, SubmitButton, TextField } from '../../components/forms';
import { AuthCard } from '../../components/status';
import { graphql } from '../../gql';
import { useAuth } from '../../lib/auth';
import { fieldError, useServerErrors, useZodForm } from '../../lib/form';

const ACCEPT_INVITATION = graphql(`
  mutation AcceptInvitation($input: AcceptInvitationInput!) {
    acceptInvitation(input: $input) {
      ...SessionFields
    }
  }
`);

const MIN_PASSWORD = 10;

const acceptSchema = z
  .object({
    password: z.string().min(MIN_PASSWORD, `Use at least ${MIN_PASSWORD} characters.`),
    confirm: z.string(),
  })
  .refine((v) => v.confirm === v.password, { path: ['confirm'], message: 'The two passwords differ.' });

/** The page the invitation email links to: `/accept-invitation?token=…`. */
export function AcceptInvitationPage() {
  const navigate = useNavigate();
  const [search] = useSearchParams();
  const { state, startSession, signOut } = useAuth();
  const token = search.get('token') ?? '';
  const [accept, { loading }] = useMutation(ACCEPT_INVITATION);
  const form = useZodForm(acceptSchema, { defaultValues: { password: '', confirm: '' } });
  const server = useServerErrors(form);
  const { errors } = form.formState;

  const submit = form.handleSubmit(async ({ password }) => {
    if (state.status === 'loading') return;
    server.clear();
    // Someone else (or this person in another organization) is signed in on this
    // browser: end that session properly first, so its refresh token is revoked rather
    // than overwritten, and its cached data is gone.
    if (state.status === 'signedIn') await signOut();
    try {
      const { data } = await accept({ variables: { input: { token, password } } });
      if (data) {
        await startSession(data.acceptInvitation);
        navigate('/', { replace: true });
      }
    } catch (error) {
      // A bad or expired token is about the link, not a field the person can fix:
      // it is not a known field, so it shows as the form's message.
      server.apply(error, ['password']);
    }
  });

  return (
    <AuthCard title="Accept your invitation">
      {!token ? (
        <div className="alert alert--error" role="alert">
          <strong>This link is incomplete</strong>
          <p>Open the link from your invitation email again, or ask your clinic to send a new invitation.</p>
        </div>
      ) : (
        <>
          <p className="auth-lead">Choose a password to finish setting up your Fascia account.</p>
          <form ref={server.ref} onSubmit={submit} noValidate>
            <FormAlert errors={server.alert} titles={{ BAD_USER_INPUT: 'This invitation can’t be accepted' }} />
            <TextField
              label="New password"
              type="password"
              autoComplete="new-password"
              required
              autoFocus
              minLength={MIN_PASSWORD}
              {...form.register('password')}
              error={fieldError(errors, 'password')}
              hint={`At least ${MIN_PASSWORD} characters. Already have a Fascia account? Enter its password.`}
            />
            <TextField
              label="Confirm password"
              type="password"
              autoComplete="new-password"
              required
              {...form.register('confirm')}
              error={fieldError(errors, 'confirm')}
            />
            {/* While a stored session is still being restored, wait: it is signed out first. */}
            <SubmitButton busy={loading || state.status === 'loading'} busyLabel={loading ? 'Setting up…' : 'Please wait…'}>
              Set password and sign in
            </SubmitButton>
          </form>
        </>
      )}
    </AuthCard>
  );
}
