import { useMutation } from '@apollo/client/react';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { FormAlert, SubmitButton, TextField, useErrorFocus } from '../components/forms';
import { AuthCard } from '../components/status';
import { graphql } from '../gql';
import { useAuth } from '../lib/auth';
import { NO_ERRORS, readErrors } from '../lib/errors';
import type { FormErrors } from '../lib/errors';
import { useRouter } from '../lib/router';

const ACCEPT_INVITATION = graphql(`
  mutation AcceptInvitation($input: AcceptInvitationInput!) {
    acceptInvitation(input: $input) {
      ...SessionFields
    }
  }
`);

const MIN_PASSWORD = 10;

/** The page the invitation email links to: `/accept-invitation?token=…`. */
export function AcceptInvitationPage() {
  const { location, navigate } = useRouter();
  const { state, startSession, signOut } = useAuth();
  const token = location.search.get('token') ?? '';
  const [accept, { loading }] = useMutation(ACCEPT_INVITATION);
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const formRef = useErrorFocus(errors);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (state.status === 'loading') return;
    const fields: Record<string, string> = {};
    if (password.length < MIN_PASSWORD) fields.password = `Use at least ${MIN_PASSWORD} characters.`;
    if (confirm !== password) fields.confirm = 'The two passwords differ.';
    if (Object.keys(fields).length) {
      setErrors({ fields, form: null, code: null });
      return;
    }
    setErrors(NO_ERRORS);
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
      setErrors(readErrors(error, ['password']));
    }
  }

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
          <form ref={formRef} onSubmit={submit} noValidate>
            <FormAlert errors={errors} titles={{ BAD_USER_INPUT: 'This invitation can’t be accepted' }} />
            <TextField
              label="New password"
              name="password"
              type="password"
              autoComplete="new-password"
              required
              autoFocus
              minLength={MIN_PASSWORD}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              error={errors.fields.password}
              hint={`At least ${MIN_PASSWORD} characters. Already have a Fascia account? Enter its password.`}
            />
            <TextField
              label="Confirm password"
              name="confirm"
              type="password"
              autoComplete="new-password"
              required
              value={confirm}
              onChange={(e) => setConfirm(e.target.value)}
              error={errors.fields.confirm}
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
