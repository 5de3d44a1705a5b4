import type { TracedeckApi } from '../../src-main/ipc/contract.ts';
import { createBrowserHost } from './browser-host.ts';
import { createElectronHost } from './electron-host.ts';
import type { Host } from './host.ts';

/** The Electron preload exposes window.tracedeck; anywhere else the app is a web page. */
export function createHost(): Host {
  const api = (window as unknown as { tracedeck?: TracedeckApi }).tracedeck;
  return api ? createElectronHost(api) : createBrowserHost();
}
