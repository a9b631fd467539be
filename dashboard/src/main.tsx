/** Entry point: mounts the app into #app, then loads the server's dashboard extensions. */
import { render } from 'preact';
import { App } from './app.tsx';
import { loadExtensions } from './extensions.ts';
import './styles.css';

render(<App />, document.getElementById('app')!);
loadExtensions();
