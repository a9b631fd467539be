/**
 * Runtime settings: every section the server returns, each as a form generated from its values
 * (booleans, numbers, text, and JSON for lists and nested objects), saved on its own. SMTP has
 * "send test mail". A top-level list (`superuserIPs`) is a text box, one entry per line.
 * Sections added to the server later appear here without changes.
 */
import type { Settings } from '@hearth/sdk';
import { useEffect, useState } from 'preact/hooks';
import { client } from '../client.ts';
import { fieldsUnder, showError } from '../errors.ts';
import { Checkbox, ErrorBanner, Labeled } from '../ui/form.tsx';
import { useSubmit } from '../ui/use-submit.ts';

type Obj = Record<string, unknown>;

function SectionForm(props: { name: string; value: Obj; onSaved: (s: Settings) => void }) {
  const [draft, setDraft] = useState<Record<string, unknown>>(() =>
    Object.fromEntries(Object.entries(props.value).map(([k, v]) => [k, v !== null && typeof v === 'object' ? JSON.stringify(v, null, 2) : v])),
  );
  const [notice, setNotice] = useState<string | null>(null);
  const [testTo, setTestTo] = useState('');

  const save = useSubmit(async (out: Obj) => {
    setNotice(null);
    props.onSaved(await client.settings.update({ [props.name]: out }));
    setNotice('Saved.');
  });
  const sendTest = useSubmit(async () => {
    setNotice(null);
    await client.settings.testEmail(testTo);
    setNotice(`Test mail sent to ${testTo}.`);
  });
  const shown = save.error ?? sendTest.error;
  const error = shown && { message: shown.message, fields: fieldsUnder(shown.fields, props.name) };

  const submit = (e: Event) => {
    e.preventDefault();
    const out: Obj = {};
    for (const [k, v] of Object.entries(draft)) {
      const original = props.value[k];
      if (original !== null && typeof original === 'object') {
        try {
          out[k] = JSON.parse(String(v));
        } catch {
          return save.setError({ message: 'Fix the highlighted fields.', fields: { [`${props.name}.${k}`]: 'Not valid JSON.' } });
        }
      } else out[k] = v;
    }
    void save.run(out);
  };

  return (
    <form class="settings-section card" onSubmit={submit} aria-label={props.name}>
      <h2>{props.name}</h2>
      {Object.entries(draft).map(([k, v]) => {
        const original = props.value[k];
        const set = (nv: unknown) => setDraft((d) => ({ ...d, [k]: nv }));
        if (typeof original === 'boolean') return <Checkbox key={k} label={k} checked={v === true} onChange={set} error={error?.fields[k]} />;
        return (
          <Labeled key={k} label={k} error={error?.fields[k]}>
            {(id) =>
              original !== null && typeof original === 'object' ? (
                <textarea id={id} class="mono" rows={5} value={String(v)} onInput={(e) => set(e.currentTarget.value)} />
              ) : (
                <input
                  id={id}
                  type={(typeof original === 'number' ? 'number' : /password|secret/i.test(k) ? 'password' : 'text') as 'text'}
                  value={String(v ?? '')}
                  onInput={(e) => set(typeof original === 'number' ? Number(e.currentTarget.value) : e.currentTarget.value)}
                />
              )
            }
          </Labeled>
        );
      })}
      <ErrorBanner message={error?.message} />
      {notice && <p class="banner ok" role="status">{notice}</p>}
      <div class="row">
        <button type="submit" disabled={save.busy}>
          Save {props.name}
        </button>
        {props.name === 'smtp' && (
          <>
            <input type="email" aria-label="Test mail recipient" placeholder="test recipient" value={testTo} onInput={(e) => setTestTo(e.currentTarget.value)} />
            <button type="button" onClick={() => void sendTest.run()} disabled={!testTo || sendTest.busy}>
              Send test mail
            </button>
          </>
        )}
      </div>
    </form>
  );
}

/** A top-level list of strings, one per line; the server's per-entry errors show by line number. */
function ListForm(props: { name: string; value: unknown[]; onSaved: (s: Settings) => void }) {
  const [text, setText] = useState(props.value.map(String).join('\n'));
  const [notice, setNotice] = useState<string | null>(null);
  const save = useSubmit(async (list: string[]) => {
    setNotice(null);
    props.onSaved(await client.settings.update({ [props.name]: list }));
    setNotice('Saved.');
  });
  const fields = save.error ? { ...fieldsUnder(save.error.fields, props.name) } : {};
  const own = save.error?.fields[props.name];
  const lines = Object.entries(fields).map(([i, m]) => `line ${Number(i) + 1}: ${m}`);
  const submit = (e: Event) => {
    e.preventDefault();
    void save.run(text.split('\n').map((l) => l.trim()).filter((l) => l !== ''));
  };
  return (
    <form class="settings-section card" onSubmit={submit} aria-label={props.name}>
      <h2>{props.name}</h2>
      <Labeled label={`${props.name} (one per line)`} error={[own, ...lines].filter(Boolean).join('; ') || undefined}>
        {(id) => <textarea id={id} class="mono" rows={4} value={text} onInput={(e) => setText(e.currentTarget.value)} />}
      </Labeled>
      <ErrorBanner message={save.error?.message} />
      {notice && <p class="banner ok" role="status">{notice}</p>}
      <div class="row">
        <button type="submit" disabled={save.busy}>
          Save {props.name}
        </button>
      </div>
    </form>
  );
}

export function SettingsScreen() {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    client.settings.get().then(setSettings, (err: unknown) => setError(showError(err).message));
  }, []);
  return (
    <section>
      <header class="page-head">
        <h1>Settings</h1>
      </header>
      <ErrorBanner message={error} />
      {settings &&
        Object.entries(settings)
          .filter(([, v]) => v !== null && typeof v === 'object')
          .map(([name, value]) =>
            Array.isArray(value) ? (
              <ListForm key={name} name={name} value={value} onSaved={setSettings} />
            ) : (
              <SectionForm key={name} name={name} value={value as Obj} onSaved={setSettings} />
            ),
          )}
    </section>
  );
}
