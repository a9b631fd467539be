/** Entry: shows the sign-in form or the user's todos, and switches when the session changes (in any tab). */
import './style.css';
import { authPanel } from './auth-panel.ts';
import { hearth } from './hearth.ts';
import { todoPanel, type Panel } from './todo-panel.ts';

const app = document.querySelector<HTMLElement>('#app')!;
let current: { userId: string; panel: Panel } | null = null;

function show(): void {
  const user = hearth.isSignedIn ? hearth.authRecord : null;
  if (user && current?.userId === user.id) return; // a token refresh: same user, keep the view
  void current?.panel.dispose();
  current = null;
  if (user) {
    current = { userId: user.id, panel: todoPanel(hearth, user) };
    app.replaceChildren(current.panel.el);
  } else {
    app.replaceChildren(authPanel(hearth));
  }
}

void hearth.ready().then(() => {
  show();
  hearth.onAuthChange(show);
});
