/** An invitation link: accept it as the signed-in user. */
import { post } from '../api.ts';
import { ErrorNote, useAction } from '../components/ui.tsx';
import { invalidateDomains } from '../domains.ts';
import { navigate } from '../router.ts';
import { useSession } from '../session.ts';

export function InvitationPage(props: { token: string }) {
  const { user } = useSession();
  const [busy, error, run] = useAction();
  return (
    <main class="page narrow">
      <h1>Invitation</h1>
      <section class="card">
        <p>
          You were invited to a dashboard. Accept to see it as <strong>{user?.email}</strong>; the
          invitation must be addressed to this email.
        </p>
        <ErrorNote error={error} />
        <div class="row">
          <button
            class="button primary"
            disabled={busy}
            onClick={() =>
              void run(async () => {
                await post('invitation', { token: props.token });
                invalidateDomains();
                navigate('/');
              })
            }
          >
            Accept invitation
          </button>
          <a class="button" href="/">
            Not now
          </a>
        </div>
      </section>
    </main>
  );
}
