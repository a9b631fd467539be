/** Superusers: their records (create, edit, delete through the records browser) and your own sessions. */
import type { AuthSessionInfo } from '@hearth/sdk';
import { useEffect, useState } from 'preact/hooks';
import { client } from '../client.ts';
import { showError } from '../errors.ts';
import { RecordsBrowser } from '../records/records-browser.tsx';
import { ErrorBanner } from '../ui/form.tsx';

export function Superusers() {
  const [sessions, setSessions] = useState<AuthSessionInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () => client.auth('_superusers').listSessions().then(setSessions, (err: unknown) => setError(showError(err).message));
  useEffect(() => void load(), []);
  const revoke = async (id: string) => {
    try {
      await client.auth('_superusers').revokeSession(id);
      await load();
    } catch (err) {
      setError(showError(err).message);
    }
  };
  return (
    <div>
      <RecordsBrowser name="_superusers" />
      <section>
        <h2>Your sessions</h2>
        <ErrorBanner message={error} />
        <div class="table-wrap">
          <table class="grid">
            <thead>
              <tr>
                <th>Device</th>
                <th>IP</th>
                <th>Last used</th>
                <th>Expires</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {(sessions ?? []).map((s) => (
                <tr key={s.id}>
                  <td>{s.userAgent || 'unknown'}</td>
                  <td class="mono">{s.ip}</td>
                  <td>{s.lastUsed}</td>
                  <td>{s.expires}</td>
                  <td>{s.current ? <span class="muted">this session</span> : <button class="ghost danger" onClick={() => void revoke(s.id)}>Revoke</button>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}
