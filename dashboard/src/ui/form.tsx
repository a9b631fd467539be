/** Small form building blocks: a labelled control with its server error, and the error banner. */
import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';

export function Labeled(props: { label: string; error?: string | undefined; hint?: string; children: (id: string) => ComponentChildren }) {
  const id = useId();
  return (
    <div class={props.error ? 'control invalid' : 'control'}>
      <label for={id}>{props.label}</label>
      {props.children(id)}
      {props.hint && !props.error && <small class="hint">{props.hint}</small>}
      {props.error && (
        <small class="field-error" role="alert" data-error-for={props.label}>
          {props.error}
        </small>
      )}
    </div>
  );
}

export function TextInput(props: {
  label: string;
  value: string;
  onInput: (v: string) => void;
  error?: string | undefined;
  type?: string;
  placeholder?: string;
  hint?: string;
  autoFocus?: boolean;
  required?: boolean;
  autocomplete?: string;
}) {
  return (
    <Labeled label={props.label} error={props.error} {...(props.hint ? { hint: props.hint } : {})}>
      {(id) => (
        <input
          id={id}
          type={(props.type ?? 'text') as 'text'}
          value={props.value}
          placeholder={props.placeholder}
          autoFocus={props.autoFocus}
          required={props.required}
          autocomplete={props.autocomplete}
          aria-invalid={props.error ? 'true' : undefined}
          onInput={(e) => props.onInput(e.currentTarget.value)}
        />
      )}
    </Labeled>
  );
}

export function Checkbox(props: { label: string; checked: boolean; onChange: (v: boolean) => void; error?: string | undefined }) {
  const id = useId();
  return (
    <div class="control checkbox">
      <input id={id} type="checkbox" checked={props.checked} onChange={(e) => props.onChange(e.currentTarget.checked)} />
      <label for={id}>{props.label}</label>
      {props.error && <small class="field-error" role="alert">{props.error}</small>}
    </div>
  );
}

export function ErrorBanner(props: { message: string | null | undefined }) {
  if (!props.message) return null;
  return (
    <div class="banner error" role="alert">
      {props.message}
    </div>
  );
}
