// The one window factory. Every BrowserWindow the app shows is built here, so the security flags
// cannot drift between windows. Electron values are passed in (not imported) so the option builder
// and the navigation guards run in plain Node under the unit tests.
import type { BrowserWindow, BrowserWindowConstructorOptions, WebPreferences } from 'electron';
import { isAppUrl } from './security.ts';

/**
 * The renderer is a browser tab that shows hostile data: no Node, an isolated preload world, the
 * OS sandbox, same-origin policy on, and nothing experimental that widens the attack surface.
 */
export function webPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    enableWebSQL: false,
    // A file dropped outside the app's drop zone must not replace the app with that file.
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
  };
}

export function windowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1400,
    height: 900,
    minWidth: 800,
    minHeight: 500,
    title: 'Tracedeck',
    // Shown once the first paint is ready, so the user never sees a white flash.
    show: false,
    backgroundColor: '#15171c',
    webPreferences: webPreferences(preloadPath),
  };
}

/** The slice of WebContents the guards need; a real WebContents satisfies it. */
export interface GuardableContents {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: { preventDefault(): void }, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

/**
 * Denies every navigation away from the loaded page, every redirect, every new window and every
 * <webview>. The app is a single page: a navigation can only come from content (a link in a file,
 * a dropped file), never from the app itself. Links meant for the web go through
 * shell:open-external, which asks the user first.
 */
export function guardWebContents(contents: GuardableContents, onDenied?: (what: string, url: string) => void): void {
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    onDenied?.('navigation', url);
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) {
      event.preventDefault();
      onDenied?.('redirect', url);
    }
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    onDenied?.('webview', '');
  });
  contents.setWindowOpenHandler(({ url }) => {
    onDenied?.('new window', url);
    return { action: 'deny' };
  });
}

/** Builds, guards and loads a main window. */
export function createMainWindow(
  BrowserWindowCtor: typeof BrowserWindow,
  preloadPath: string,
  entryUrl: string,
): BrowserWindow {
  const win = new BrowserWindowCtor(windowOptions(preloadPath));
  guardWebContents(win.webContents, (what, url) => console.warn(`tracedeck: denied ${what} ${url}`));
  win.once('ready-to-show', () => win.show());
  void win.loadURL(entryUrl);
  return win;
}
