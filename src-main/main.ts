// The Electron main process: lifecycle, the app:// protocol, the IPC handlers, the menu and the
// OS file hand-over. It is the only file that imports Electron's runtime values besides the
// preload; everything it wires is a plain module with unit tests.
import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session, shell, webContents } from 'electron';
import type { BaseWindow } from 'electron';
import { appProtocolResponse } from './app-protocol.ts';
import { filePathsFromArgv, PendingOpens } from './files.ts';
import { HandleRegistry } from './ipc/file-tokens.ts';
import { createHandlers, registerIpcHandlers, registerPaths } from './ipc/handlers.ts';
import type { EventChannel, EventChannels, MenuCommand } from './ipc/contract.ts';
import { menuTemplate } from './menu.ts';
import { APP_ENTRY_URL, APP_SCHEME, hardenSession } from './security.ts';
import { createMainWindow, guardWebContents } from './window.ts';
import { mayClose } from './close-guard.ts';
import { RecentFilesStore } from './recent.ts';
import { WorkspaceWrites } from './workspace-writes.ts';
import { RENDERER_JS_FLAGS } from './v8-flags.ts';

// dist/main/main.cjs sits next to preload.cjs; the renderer build is dist/renderer.
const preloadPath = path.join(__dirname, 'preload.cjs');
const rendererRoot = path.join(__dirname, '..', 'renderer');
const OPEN_FILTERS = [
  { name: 'Traces, logs and workspaces', extensions: ['json', 'jsonl', 'ndjson', 'log', 'txt', 'gz', 'zst', 'zip', 'pb', 'binpb', 'tracedeck', 'sqlite'] },
  { name: 'All files', extensions: ['*'] },
];

const registry = new HandleRegistry();
/** Workspace files the renderers are writing in chunks; a page that goes away drops its unfinished ones. */
const writes = new WorkspaceWrites();
/** Windows (by webContents id) whose renderer holds unsaved work (workspace:set-unsaved). */
const unsaved = new Map<number, boolean>();
const pending = new PendingOpens();
let mainWindow: BrowserWindow | null = null;

// Before 'ready', like the scheme below: switches are read when Chromium starts.
app.commandLine.appendSwitch('js-flags', RENDERER_JS_FLAGS);

// Must happen before 'ready': a standard, secure scheme gets a real origin (module workers, fetch of
// the wasm, same-origin checks). No bypassCSP, no CORS: nothing else may read from it.
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true } },
]);

function send<C extends EventChannel>(target: BrowserWindow | null, channel: C, payload: EventChannels[C]): void {
  if (target !== null && !target.isDestroyed()) target.webContents.send(channel, payload);
}

function windowOf(owner: number): BrowserWindow | null {
  const contents = webContents.fromId(owner);
  return contents === undefined ? null : BrowserWindow.fromWebContents(contents);
}

function sendMenuCommand(command: MenuCommand, win: BaseWindow | undefined): void {
  const target = win instanceof BrowserWindow ? win : (BrowserWindow.getFocusedWindow() ?? mainWindow);
  send(target, 'menu:command', command);
}

async function confirmExternal(url: string): Promise<boolean> {
  const options = {
    type: 'question' as const,
    buttons: ['Open in Browser', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    message: 'Open this link in your web browser?',
    detail: url,
  };
  const parent = BrowserWindow.getFocusedWindow() ?? mainWindow;
  const { response } = parent !== null ? await dialog.showMessageBox(parent, options) : await dialog.showMessageBox(options);
  return response === 0;
}

function openWindow(): BrowserWindow {
  const win = createMainWindow(BrowserWindow, preloadPath, APP_ENTRY_URL);
  const contents = win.webContents;
  const owner = contents.id;
  // A reload or a closed window ends the page that held the handles.
  contents.on('did-start-loading', () => {
    pending.notReady();
    registry.closeAll(owner);
    void writes.abortAll(owner);
  });
  contents.on('did-finish-load', () => {
    pending.ready((paths) => {
      void registerPaths(registry, owner, paths).then((files) => {
        if (files.length > 0) send(win, 'files:opened-by-os', files);
      });
    });
  });
  win.on('close', (event) => {
    if (!mayClose(unsaved.get(owner) ?? false, { ask: (options) => dialog.showMessageBoxSync(win, options) })) event.preventDefault();
  });
  win.on('closed', () => {
    unsaved.delete(owner);
    pending.notReady();
    registry.closeAll(owner);
    void writes.abortAll(owner);
    if (mainWindow === win) mainWindow = null;
  });
  return win;
}

function start(): void {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  const isDefaultApp = process.defaultApp === true;
  pending.add(filePathsFromArgv(process.argv, { isDefaultApp, cwd: process.cwd() }));

  app.on('second-instance', (_event, argv, workingDirectory) => {
    pending.add(filePathsFromArgv(argv, { isDefaultApp, cwd: workingDirectory }));
    if (mainWindow !== null) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });
  // macOS hands files over through this event, possibly before 'ready'.
  app.on('open-file', (event, filePath) => {
    event.preventDefault();
    pending.add([filePath]);
    if (app.isReady() && mainWindow === null) mainWindow = openWindow();
  });
  // Windows guard themselves in createMainWindow; anything else that ever appears (a webview, a
  // background page) gets the same guards, as defence in depth.
  app.on('web-contents-created', (_event, contents) => {
    if (contents.getType() !== 'window') guardWebContents(contents);
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (mainWindow === null) mainWindow = openWindow();
  });

  void app.whenReady().then(() => {
    protocol.handle(APP_SCHEME, (request) => appProtocolResponse(rendererRoot, request));
    hardenSession(session.defaultSession);
    registerIpcHandlers(
      ipcMain,
      createHandlers({
        registry,
        unsaved,
        writes,
        keepDir: path.join(app.getPath('userData'), 'kept-workspace'),
        recent: new RecentFilesStore(app.getPath('userData')),
        chooseFilesToOpen: async (owner) => {
          const win = windowOf(owner);
          const options = { title: 'Open traces and logs', properties: ['openFile' as const, 'multiSelections' as const], filters: OPEN_FILTERS };
          const r = win !== null ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
          return r.canceled ? [] : r.filePaths;
        },
        chooseSavePath: async (owner, suggestedName) => {
          const win = windowOf(owner);
          const options = {
            title: 'Save workspace',
            defaultPath: path.join(app.getPath('documents'), suggestedName),
            filters: [{ name: 'Tracedeck workspace', extensions: ['tracedeck'] }],
          };
          const r = win !== null ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
          return r.canceled || r.filePath === undefined || r.filePath === '' ? null : r.filePath;
        },
        external: { confirm: confirmExternal, open: (url) => shell.openExternal(url) },
      }),
    );
    Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(sendMenuCommand, { platform: process.platform, isPackaged: app.isPackaged })));
    mainWindow = openWindow();
  });
}

start();
