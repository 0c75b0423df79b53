// Entry point of the renderer: mounts the React app (served at / by `voxlab serve`, or in the desktop app).

import { createRoot } from 'react-dom/client';
import { App } from './app/App.js';
import { SessionGate } from './features/session/SessionGate.js';

// The gate asks who this page runs as first: a team study served over HTTP may need a sign-in (issue #13).
createRoot(document.getElementById('root')!).render(
  <SessionGate>
    <App />
  </SessionGate>,
);
