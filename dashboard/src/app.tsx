/**
 * The app's top level: decides between first-run install, sign-in and the signed-in shell, and
 * re-decides whenever the session changes (sign-out, expiry, another tab).
 */
import { useEffect, useState } from 'preact/hooks';
import { client } from './client.ts';
import { showError } from './errors.ts';
import { useRoute } from './router.ts';
import { CONFIRM_PAGES, ConfirmLink } from './screens/confirm-link.tsx';
import { Install } from './screens/install.tsx';
import { SignIn } from './screens/sign-in.tsx';
import { Shell } from './shell.tsx';

type Phase = { kind: 'loading' } | { kind: 'install' } | { kind: 'signin' } | { kind: 'ready' } | { kind: 'down'; message: string };

const isSuperuserSession = () => client.isSignedIn && client.authRecord?.collectionName === '_superusers';

export function App() {
  const route = useRoute();
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' });

  const decide = async () => {
    try {
      await client.ready();
      if (isSuperuserSession()) return setPhase({ kind: 'ready' });
      setPhase({ kind: (await client.install.needed()) ? 'install' : 'signin' });
    } catch (err) {
      setPhase({ kind: 'down', message: showError(err).message });
    }
  };

  useEffect(() => {
    void decide();
    return client.onAuthChange(() => void decide());
  }, []);

  useEffect(() => {
    const scheme = localStorage.getItem('hearth_dashboard_theme');
    if (scheme) document.documentElement.dataset.theme = scheme;
  }, []);

  // Links from auth mails work for every user, signed in or not.
  const [first, page, token] = route.parts;
  if (first === 'auth' && page && token && CONFIRM_PAGES.includes(page)) return <ConfirmLink page={page} token={token} />;

  switch (phase.kind) {
    case 'loading':
      return <p class="center muted">Loading…</p>;
    case 'down':
      return (
        <div class="center card">
          <h1>Hearth</h1>
          <p role="alert">{phase.message}</p>
          <button onClick={() => void decide()}>Retry</button>
        </div>
      );
    case 'install':
      return <Install token={route.parts[0] === 'install' ? route.parts[1] : undefined} onDone={() => void decide()} />;
    case 'signin':
      return <SignIn />;
    case 'ready':
      return <Shell route={route} />;
  }
}
