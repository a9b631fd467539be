/**
 * The collection editor: name and type, then tabs for fields, rules, indexes, the view query and
 * auth options. Saving an existing collection first shows the plan (renames, drops, conversions)
 * and runs only when confirmed; the server's errors land at the field, rule or index they name.
 */
import type { CollectionModel } from '@hearth/sdk';
import { useEffect, useState } from 'preact/hooks';
import { client } from '../client.ts';
import { reloadCollections, useCollections } from '../collections-store.ts';
import { fieldsUnder, showError } from '../errors.ts';
import { href, navigate } from '../router.ts';
import { ADDABLE_TYPES, newField } from '../schema/field-types.ts';
import { planChanges, type PlanStep } from '../schema/plan.ts';
import { ErrorBanner, Labeled } from '../ui/form.tsx';
import { Modal } from '../ui/modal.tsx';
import { useSubmit } from '../ui/use-submit.ts';
import { AuthOptions } from './auth-options.tsx';
import { bodyOf, draftOf, emptyDraft, tabOfError, type Draft } from './draft.ts';
import { FieldRow } from './field-row.tsx';
import { IndexesPanel } from './indexes-panel.tsx';
import { RulesPanel } from './rules-panel.tsx';
import { ViewPanel } from './view-panel.tsx';

export function CollectionEditor(props: { name: string | null }) {
  const { list } = useCollections();
  const [original, setOriginal] = useState<CollectionModel | null>(null);
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [tab, setTab] = useState('fields');
  const [plan, setPlan] = useState<PlanStep[] | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [addType, setAddType] = useState('text');

  useEffect(() => {
    if (!props.name) return;
    client.collections.get(props.name).then(
      (c) => (setOriginal(c), setDraft(draftOf(c))),
      (err: unknown) => setError(showError(err)),
    );
  }, [props.name]);

  const update = (changes: Partial<Draft>) => setDraft((d) => ({ ...d, ...changes }));
  const isNew = props.name === null;
  const selfModel = original ?? ({ id: '', name: draft.name, fields: draft.fields } as unknown as CollectionModel);

  const { busy, error: saveError, setError, run } = useSubmit(
    async () => {
      setPlan(null);
      setNotice(null);
      const body = bodyOf(draft, isNew);
      const saved = isNew ? await client.collections.create(body) : await client.collections.update(original!.id, body);
      await reloadCollections();
      setOriginal(saved);
      setDraft(draftOf(saved));
      setNotice('Saved.');
      if (isNew || saved.name !== props.name) navigate('collections', saved.name, 'edit');
    },
    (shown) => {
      const first = Object.keys(shown.fields)[0];
      if (first) setTab(tabOfError(first));
    },
  );

  const save = (e: Event) => {
    e.preventDefault();
    if (isNew || !original) return void run();
    const steps = planChanges(original, bodyOf(draft, false));
    if (steps.length === 0) return setNotice('Nothing to change.');
    setPlan(steps);
  };

  const removal = useSubmit(async () => {
    if (!original || !confirm(`Delete the collection ${original.name} and all its records?`)) return;
    await client.collections.delete(original.id);
    await reloadCollections();
    navigate('collections');
  });
  const error = saveError ?? removal.error;
  const errs = error?.fields ?? {};

  const tabs = draft.type === 'view' ? ['query', 'rules'] : ['fields', 'rules', 'indexes', ...(draft.type === 'auth' ? ['auth'] : [])];
  const shownTab = tabs.includes(tab) ? tab : tabs[0]!;
  const TAB_LABELS: Record<string, string> = { fields: 'Fields', rules: 'API rules', indexes: 'Indexes', query: 'View query', auth: 'Auth options' };

  return (
    <form class="editor" onSubmit={save}>
      <header class="page-head">
        <h1>{isNew ? 'New collection' : `Edit ${props.name}`}</h1>
        {!isNew && <a href={href('collections', props.name!)}>Records</a>}
        {!isNew && <a href={href('collections', props.name!, 'api')}>API preview</a>}
      </header>
      <div class="row">
        <Labeled label="Collection name" error={errs.name}>
          {(id) => <input id={id} value={draft.name} onInput={(e) => update({ name: e.currentTarget.value })} autoFocus={isNew} required />}
        </Labeled>
        <Labeled label="Type" error={errs.type}>
          {(id) => (
            <select id={id} value={draft.type} disabled={!isNew} onChange={(e) => update({ type: e.currentTarget.value as Draft['type'] })}>
              <option value="base">base</option>
              <option value="auth">auth</option>
              <option value="view">view</option>
            </select>
          )}
        </Labeled>
      </div>
      <div class="tabs" role="tablist">
        {tabs.map((t) => (
          <button type="button" role="tab" key={t} aria-selected={shownTab === t} onClick={() => setTab(t)}>
            {TAB_LABELS[t]}
            {Object.keys(errs).some((k) => tabOfError(k) === t) && <span class="dot" aria-label="has errors" />}
          </button>
        ))}
      </div>
      <div class="tab-body" role="tabpanel">
        {shownTab === 'fields' && (
          <div class="fields">
            {draft.fields.map((f, i) => (
              <FieldRow
                key={f.id ?? `new-${i}`}
                field={f}
                index={i}
                count={draft.fields.length}
                collections={list}
                errors={fieldsUnder(errs, `fields.${i}`)}
                onChange={(nf) => update({ fields: draft.fields.map((x, j) => (j === i ? nf : x)) })}
                onRemove={() => update({ fields: draft.fields.filter((_, j) => j !== i) })}
                onMove={(d) => {
                  const next = [...draft.fields];
                  const [moved] = next.splice(i, 1);
                  next.splice(i + d, 0, moved!);
                  update({ fields: next });
                }}
              />
            ))}
            <div class="row">
              <select aria-label="New field type" value={addType} onChange={(e) => setAddType(e.currentTarget.value)}>
                {ADDABLE_TYPES.map((t) => (
                  <option key={t}>{t}</option>
                ))}
              </select>
              <button type="button" onClick={() => update({ fields: [...draft.fields, newField(addType, '')] })}>
                Add field
              </button>
            </div>
          </div>
        )}
        {shownTab === 'rules' && (
          <RulesPanel
            type={draft.type}
            rules={draft.rules}
            errors={errs}
            collection={selfModel}
            collections={list}
            onChange={(k, v) => update({ rules: { ...draft.rules, [k]: v } })}
          />
        )}
        {shownTab === 'indexes' && <IndexesPanel table={draft.name} fields={draft.fields} indexes={draft.indexes} errors={errs} onChange={(indexes) => update({ indexes })} />}
        {shownTab === 'query' && <ViewPanel name={props.name} query={draft.viewQuery} error={errs.viewQuery} savedAt={original?.updated ?? ''} onChange={(viewQuery) => update({ viewQuery })} />}
        {shownTab === 'auth' && (
          <AuthOptions
            options={draft.auth}
            errors={errs}
            onChange={(k, v) => update({ auth: { ...draft.auth, [k]: v }, authTouched: [...new Set([...draft.authTouched, k])] })}
          />
        )}
      </div>
      <ErrorBanner message={error?.message} />
      {notice && <p class="banner ok" role="status">{notice}</p>}
      <footer class="row">
        <button type="submit" disabled={busy}>
          {isNew ? 'Create collection' : 'Save changes'}
        </button>
        {original && !original.system && (
          <button type="button" class="danger" onClick={() => void removal.run()} disabled={removal.busy}>
            Delete collection
          </button>
        )}
      </footer>
      {plan && (
        <Modal title="Review schema changes" onClose={() => setPlan(null)}>
          <ul class="plan">
            {plan.map((s, i) => (
              <li key={i} class={s.danger ? 'danger' : ''}>
                {s.text}
              </li>
            ))}
          </ul>
          <div class="row">
            <button type="button" onClick={() => void run()} disabled={busy}>
              Apply changes
            </button>
            <button type="button" class="ghost" onClick={() => setPlan(null)}>
              Cancel
            </button>
          </div>
        </Modal>
      )}
    </form>
  );
}
