// Runs in the sandboxed preload world: it may require only 'electron' (build.mjs bundles the rest
// into this one file). The page sees window.tracedeck and nothing else of Electron.
import { contextBridge, ipcRenderer } from 'electron';
import { buildTracedeckApi } from './preload-api.ts';

contextBridge.exposeInMainWorld('tracedeck', buildTracedeckApi(ipcRenderer));
