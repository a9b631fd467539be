/**
 * The access rules: each is "superusers only" (null), "everyone" (empty) or an expression with
 * autocomplete. The server compiles them on save; its message is shown under the rule.
 */
import type { CollectionModel } from '@hearth/sdk';
import { useId } from 'preact/hooks';
import { ExpressionInput } from '../ui/expression-input.tsx';

export const BASE_RULES = ['listRule', 'viewRule', 'createRule', 'updateRule', 'deleteRule'] as const;
export const AUTH_RULES = ['authRule', 'manageRule'] as const;
export type RuleKey = (typeof BASE_RULES)[number] | (typeof AUTH_RULES)[number];

const LABELS: Record<RuleKey, string> = {
  listRule: 'List rule',
  viewRule: 'View rule',
  createRule: 'Create rule',
  updateRule: 'Update rule',
  deleteRule: 'Delete rule',
  authRule: 'Auth rule',
  manageRule: 'Manage rule',
};

function RuleRow(props: {
  rule: RuleKey;
  value: string | null;
  error: string | undefined;
  collection: CollectionModel | null;
  collections: CollectionModel[];
  onChange: (v: string | null) => void;
}) {
  const id = useId();
  const locked = props.value === null;
  return (
    <div class={props.error ? 'control invalid rule' : 'control rule'} data-rule={props.rule}>
      <label for={id}>{LABELS[props.rule]}</label>
      <div class="row">
        <ExpressionInput
          id={id}
          label={LABELS[props.rule]}
          value={props.value ?? ''}
          disabled={locked}
          invalid={!!props.error}
          placeholder={locked ? 'Superusers only' : 'Everyone (empty) or a filter, e.g. @request.auth.id != ""'}
          onInput={(v) => props.onChange(v)}
          collection={props.collection}
          collections={props.collections}
        />
        <label class="inline">
          <input type="checkbox" checked={locked} onChange={(e) => props.onChange(e.currentTarget.checked ? null : '')} /> Superusers only
        </label>
      </div>
      {props.error && (
        <small class="field-error" role="alert">
          {props.error}
        </small>
      )}
    </div>
  );
}

export function RulesPanel(props: {
  type: string;
  rules: Partial<Record<RuleKey, string | null>>;
  errors: Record<string, string>;
  collection: CollectionModel | null;
  collections: CollectionModel[];
  onChange: (rule: RuleKey, value: string | null) => void;
}) {
  const keys: RuleKey[] = props.type === 'auth' ? [...BASE_RULES, ...AUTH_RULES] : props.type === 'view' ? ['listRule', 'viewRule'] : [...BASE_RULES];
  return (
    <div class="rules">
      <p class="muted">
        Type <code>@</code> for request macros, or a field name; ↑/↓ and Enter pick a suggestion.
      </p>
      {keys.map((k) => (
        <RuleRow
          key={k}
          rule={k}
          value={props.rules[k] === undefined ? null : (props.rules[k] as string | null)}
          error={props.errors[k]}
          collection={props.collection}
          collections={props.collections}
          onChange={(v) => props.onChange(k, v)}
        />
      ))}
    </div>
  );
}
