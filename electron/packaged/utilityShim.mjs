// Electron's utility process as far as the core's entry (dist/electron/core/coreMain.js) uses it, in plain
// Node for electron/builder.test.ts: process.parentPort over the IPC channel of child_process.fork (start it
// with serialization 'advanced' so that ArrayBuffers cross), then the entry named first on the command line
// runs with the rest as its arguments. Tests only; never packed.
import { pathToFileURL } from 'node:url';

const [entry, ...args] = process.argv.slice(2);
if (entry === undefined || process.send === undefined) {
  process.stderr.write('utilityShim: fork it with an IPC channel: utilityShim.mjs ENTRY [ARGS...]\n');
  process.exit(2);
}
const wrapped = new Map();
process.parentPort = {
  postMessage: (message) => process.send(message),
  on(event, listener) {
    if (event !== 'message') throw new Error(`utilityShim: parentPort has no '${event}' event here`);
    const wrapper = (data) => listener({ data });
    wrapped.set(listener, wrapper);
    process.on('message', wrapper);
    return this;
  },
  off(event, listener) {
    process.off('message', wrapped.get(listener));
    wrapped.delete(listener);
    return this;
  },
};
// As a utility process ends with its parent: through the entry's own SIGTERM handling.
process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
process.argv = [process.argv[0], entry, ...args];
await import(pathToFileURL(entry).href);
