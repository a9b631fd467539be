/**
 * A one-line input for rule and filter expressions with autocomplete: suggestions for the word at
 * the caret in a listbox; ↑/↓ move, Enter/Tab accept, Escape closes. Used by rules and filters.
 */
import type { CollectionModel } from '@hearth/sdk';
import { useRef, useState } from 'preact/hooks';
import { suggest, wordAt } from '../schema/rule-suggestions.ts';

export interface ExpressionInputProps {
  id?: string;
  label: string;
  value: string;
  onInput: (v: string) => void;
  /** Enter with no suggestion open. */
  onSubmit?: () => void;
  collection: CollectionModel | null;
  collections: CollectionModel[];
  placeholder?: string;
  invalid?: boolean;
  disabled?: boolean;
}

export function ExpressionInput(props: ExpressionInputProps) {
  const ref = useRef<HTMLInputElement>(null);
  const [items, setItems] = useState<string[]>([]);
  const [active, setActive] = useState(0);
  const listId = `${props.id ?? props.label.replace(/\W+/g, '-')}-suggestions`;

  const refresh = (text: string, caret: number) => {
    setItems(suggest(wordAt(text, caret).word, props.collection, props.collections));
    setActive(0);
  };

  const accept = (choice: string) => {
    const input = ref.current!;
    // Read and write the element itself, caret included, in this same event: a key typed right
    // after (before the next render or frame) then lands after the choice, not before it.
    const text = input.value;
    const caret = input.selectionStart ?? text.length;
    const { start } = wordAt(text, caret);
    const next = text.slice(0, start) + choice + text.slice(caret);
    const pos = start + choice.length;
    input.value = next;
    input.focus();
    input.setSelectionRange(pos, pos);
    props.onInput(next);
    if (choice.endsWith('.')) refresh(next, pos);
    else setItems([]);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (items.length > 0) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        setActive((a) => (a + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length);
        return;
      }
      if (e.key === 'Enter' || e.key === 'Tab') {
        e.preventDefault();
        accept(items[active]!);
        return;
      }
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        setItems([]);
        return;
      }
    }
    if (e.key === 'Enter' && props.onSubmit) {
      e.preventDefault();
      props.onSubmit();
    }
  };

  return (
    <div class="expression">
      <input
        ref={ref}
        id={props.id}
        aria-label={props.id ? undefined : props.label}
        class="mono"
        value={props.value}
        placeholder={props.placeholder}
        disabled={props.disabled}
        spellcheck={false}
        autocomplete="off"
        role="combobox"
        aria-expanded={items.length > 0}
        aria-controls={listId}
        aria-invalid={props.invalid ? 'true' : undefined}
        onInput={(e) => {
          props.onInput(e.currentTarget.value);
          refresh(e.currentTarget.value, e.currentTarget.selectionStart ?? e.currentTarget.value.length);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setTimeout(() => setItems([]), 150)}
      />
      {items.length > 0 && (
        <ul class="suggestions" role="listbox" id={listId}>
          {items.map((item, i) => (
            <li
              key={item}
              role="option"
              aria-selected={i === active}
              onMouseDown={(e) => {
                e.preventDefault();
                accept(item);
              }}
            >
              {item}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
