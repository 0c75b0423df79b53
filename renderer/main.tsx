// Entry point of the renderer: mounts the React app (served at / by `voxlab serve`, or in the desktop app).

import { createRoot } from 'react-dom/client';
import { App } from './app/App.js';

createRoot(document.getElementById('root')!).render(<App />);
