/**
 * Backups (`/api/backups`): the archives newest first, with download (through a short-lived file
 * token), restore (after a confirmation that says what is replaced) and delete; a form to take
 * one now, optionally named, and an upload of a .zip taken elsewhere.
 */
import { useEffect, useState } from 'preact/hooks';
import { reloadCollections } from '../collections-store.ts';
import { ErrorBanner, Labeled } from '../ui/form.tsx';
import { Modal } from '../ui/modal.tsx';
import { useSubmit } from '../ui/use-submit.ts';
import { backupsApi, type BackupInfo } from './api.ts';
import { formatBytes } from './format.ts';

function RestoreDialog(props: { backup: BackupInfo; onClose: () => void; onRestored: () => void }) {
  const restore = useSubmit(async () => {
    await backupsApi.restore(props.backup.key);
    await reloadCollections();
    props.onRestored();
  });
  return (
    <Modal title="Restore backup" onClose={props.onClose}>
      <p>
        Restore <strong class="mono">{props.backup.key}</strong> ({props.backup.modified})?
      </p>
      <p>The current database and stored files are replaced by the backup's. Everything written since it was taken is lost; take a backup first if you may need it.</p>
      <ErrorBanner message={restore.error?.message} />
      <div class="row end">
        <button type="button" class="ghost" onClick={props.onClose}>
          Cancel
        </button>
        <button type="button" class="danger" disabled={restore.busy} onClick={() => void restore.run()}>
          {restore.busy ? 'Restoring…' : 'Restore and replace current data'}
        </button>
      </div>
    </Modal>
  );
}

/** Follows a same-origin download link without leaving the page. */
function download(url: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = '';
  document.body.append(a);
  a.click();
  a.remove();
}

export function BackupsScreen() {
  const [list, setList] = useState<BackupInfo[] | null>(null);
  const [name, setName] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const [restoring, setRestoring] = useState<BackupInfo | null>(null);
  const done = async (message: string) => {
    setNotice(message);
    setList(await backupsApi.list());
  };
  const load = useSubmit(async () => setList(await backupsApi.list()));
  const create = useSubmit(async () => {
    setNotice(null);
    await backupsApi.create(name.trim());
    setName('');
    await done('Backup created.');
  });
  const upload = useSubmit(async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    if (!file) return;
    setNotice(null);
    try {
      await backupsApi.upload(file);
    } finally {
      input.value = '';
    }
    await done(`Uploaded ${file.name}.`);
  });
  const act = useSubmit(async (kind: 'download' | 'delete', key: string) => {
    setNotice(null);
    if (kind === 'download') return download(await backupsApi.downloadUrl(key));
    if (!confirm(`Delete the backup ${key}?`)) return;
    await backupsApi.delete(key);
    await done(`Deleted ${key}.`);
  });
  useEffect(() => void load.run(), []);
  const error = create.error ?? upload.error ?? act.error ?? load.error;

  return (
    <section class="backups">
      <header class="page-head">
        <h1>Backups</h1>
      </header>
      <div class="row card">
        <form class="row grow" onSubmit={create.onSubmit}>
          <Labeled label="Backup name" error={create.error?.fields.name} hint="Optional: lowercase letters, digits, _ or -, ending in .zip">
            {(id) => <input id={id} value={name} placeholder="generated when empty" onInput={(e) => setName(e.currentTarget.value)} />}
          </Labeled>
          <button type="submit" disabled={create.busy}>
            {create.busy ? 'Creating…' : 'Create backup'}
          </button>
        </form>
        <Labeled label="Upload a backup (.zip)" error={upload.error?.fields.file}>
          {(id) => <input id={id} type="file" accept=".zip,application/zip" disabled={upload.busy} onChange={(e) => void upload.run(e.currentTarget)} />}
        </Labeled>
      </div>
      <ErrorBanner message={error && !error.fields.name && !error.fields.file ? error.message : null} />
      {notice && (
        <p class="banner ok" role="status">
          {notice}
        </p>
      )}
      <div class="table-wrap">
        <table class="grid plain-rows">
          <thead>
            <tr>
              <th>Backup</th>
              <th>Size</th>
              <th>Modified (UTC)</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(list ?? []).map((b) => (
              <tr key={b.key} data-key={b.key}>
                <td class="mono">{b.key}</td>
                <td>{formatBytes(b.size)}</td>
                <td>{b.modified}</td>
                <td>
                  <div class="row">
                    <button type="button" class="ghost" disabled={act.busy} onClick={() => void act.run('download', b.key)}>
                      Download
                    </button>
                    <button type="button" class="ghost" onClick={() => setRestoring(b)}>
                      Restore
                    </button>
                    <button type="button" class="ghost danger" disabled={act.busy} onClick={() => void act.run('delete', b.key)}>
                      Delete
                    </button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {list && list.length === 0 && <p class="muted center-text">No backups yet.</p>}
      </div>
      {restoring && (
        <RestoreDialog
          backup={restoring}
          onClose={() => setRestoring(null)}
          onRestored={() => {
            setRestoring(null);
            void done(`Restored ${restoring.key}.`);
          }}
        />
      )}
    </section>
  );
}
