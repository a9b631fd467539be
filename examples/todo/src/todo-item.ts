/** One row of the list: a checkbox to complete the todo, its title, and a delete button. */
import { h } from './dom.ts';
import type { TodosRecord } from './hearth-types.ts';

export interface ItemActions {
  toggle(todo: TodosRecord, done: boolean): void;
  remove(todo: TodosRecord): void;
}

export function todoItem(todo: TodosRecord, actions: ItemActions): HTMLLIElement {
  const checkbox = h('input', {
    type: 'checkbox',
    checked: todo.done,
    onchange: (e) => actions.toggle(todo, (e.target as HTMLInputElement).checked),
  });
  return h(
    'li',
    { class: todo.done ? 'done' : undefined, 'data-id': todo.id },
    h('label', {}, checkbox, h('span', { class: 'title' }, todo.title)),
    h('button', { type: 'button', class: 'delete', 'aria-label': `Delete ${todo.title}`, onclick: () => actions.remove(todo) }, '×'),
  );
}
