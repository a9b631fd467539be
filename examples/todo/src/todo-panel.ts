/**
 * The signed-in view: the user's todos as a live list. Every tab renders from the same change
 * events, so a todo added, completed or deleted anywhere shows up everywhere without a reload.
 */
import type { AnyRecord, RealtimeStatus } from '@hearth/sdk';
import { h } from './dom.ts';
import { messageOf, type Hearth } from './hearth.ts';
import type { TodosRecord } from './hearth-types.ts';
import { todoItem, type ItemActions } from './todo-item.ts';

/** One page holds all of a user's todos in this example; a bigger app would page. */
const PAGE_SIZE = 500;

const STATUS_TEXT: Record<RealtimeStatus, string> = {
  idle: 'offline',
  connecting: 'connecting…',
  open: 'live',
  reconnecting: 'reconnecting…',
  closed: 'offline',
};

export interface Panel {
  el: HTMLElement;
  dispose(): Promise<void>;
}

export function todoPanel(hearth: Hearth, user: AnyRecord): Panel {
  const todos = hearth.collection('todos');
  const live = todos.liveList({ sort: 'created', perPage: PAGE_SIZE });
  const list = h('ul', { class: 'todos', 'aria-label': 'Todos', 'data-state': 'loading' });
  const remaining = h('p', { class: 'muted' });
  const error = h('p', { class: 'error', role: 'alert' });
  const status = h('span', { class: 'status' }, STATUS_TEXT[hearth.realtime.status]);
  const input = h('input', { name: 'title', 'aria-label': 'New todo', placeholder: 'What needs doing?', required: true, maxlength: '200', autocomplete: 'off' });
  const report = (err: unknown) => (error.textContent = messageOf(err));

  const actions: ItemActions = {
    toggle: (todo, done) => void todos.update(todo.id, { done }).catch(report),
    remove: (todo) => void todos.delete(todo.id).catch(report),
  };

  function render(items: readonly TodosRecord[]): void {
    list.replaceChildren(...items.map((todo) => todoItem(todo, actions)));
    const left = items.filter((t) => !t.done).length;
    remaining.textContent = `${left} left of ${items.length}`;
  }

  async function add(event: Event): Promise<void> {
    event.preventDefault();
    const title = input.value.trim();
    if (!title) return;
    try {
      await todos.create({ title, done: false, owner: user.id });
      input.value = '';
      error.textContent = '';
    } catch (err) {
      report(err);
    }
  }

  const offStatus = hearth.realtime.onStatus((s) => (status.textContent = STATUS_TEXT[s]));
  live.onChange(render);
  live.onError(report);
  live.ready.then(
    () => {
      render(live.items);
      list.dataset.state = 'live';
    },
    report,
  );

  const el = h(
    'section',
    { class: 'card' },
    h('header', {}, h('h1', {}, 'Todos'), status),
    h('p', { class: 'muted' }, `Signed in as ${user.email} `, h('button', { type: 'button', class: 'link', onclick: () => void hearth.auth('users').signOut() }, 'Sign out')),
    h('form', { class: 'row', onsubmit: (e) => void add(e) }, input, h('button', { type: 'submit' }, 'Add')),
    list,
    remaining,
    error,
  );

  return {
    el,
    async dispose() {
      offStatus();
      await live.close();
    },
  };
}
