/** Superusers: their records (create, edit, delete through the records browser) and your own sessions. */
import type { AuthSessionInfo } from '@hearth/sdk';
import { useEffect, useState } from 'preact/hooks';
import { client } from '../client.ts';
import { RecordsBrowser } from '../records/records-browser.tsx';
import { ErrorBanner } from '../ui/form.tsx';
import { useSubmit } from '../ui/use-submit.ts';

export function Superusers() {
  const [sessions, setSessions] = useState<AuthSessionInfo[] | null>(null);
  const load = useSubmit(async () => setSessions(await client.auth('_superusers').listSessions()));
  const revoke = useSubmit(async (id: string) => {
    await client.auth('_superusers').revokeSession(id);
    await load.run();
  });
  useEffect(() => void load.run(), []);
  return (
    <div>
      <RecordsBrowser name="_superusers" />
      <section>
        <h2>Your sessions</h2>
        <ErrorBanner message={(load.error ?? revoke.error)?.message} />
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
                  <td>{s.current ? <span class="muted">this session</span> : <button class="ghost danger" disabled={revoke.busy} onClick={() => void revoke.run(s.id)}>Revoke</button>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}
