/**
 * The Electron shell: one secure window, the IPC door into the core service, and the app's
 * lifecycle. Everything the app does lives in electron/core; this file only wires it up.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  BrowserWindow,
  Menu,
  Notification,
  app,
  clipboard,
  dialog,
  ipcMain,
  net,
  powerMonitor,
  protocol,
  screen,
  session,
  shell,
  type IpcMainInvokeEvent,
} from 'electron';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from '../../shared/ipc';
import { withSessionFallback } from '../core/credentials/session';
import { keychainStore } from '../core/credentials/store';
import { openDatabase } from '../core/db/open';
import { dispatch } from '../core/dispatch';
import { describeError } from '../core/errors';
import { openLog, silentLog, type Log } from '../core/log';
import { LOG_FOLDER } from '../core/paths';
import { claimerName } from '../core/queue/claimer';
import { fetchTransport } from '../core/providers/http';
import { createService, type AppService } from '../core/service';
import { readSetting, writeSetting } from '../core/settings';
import type { Db } from '../core/db/open';
import { appMenu } from './menu';
import {
  APP_PAGE_URL,
  APP_SCHEME,
  APP_SCHEME_PRIVILEGES,
  CONTENT_SECURITY_POLICY,
  UNTRUSTED_SENDER_ANSWER,
  allowsPermission,
  appFileFor,
  contentTypeFor,
  isTrustedSender,
  navigationDecision,
  newWindowDecision,
  secureWebPreferences,
} from './security';
import { restoreBounds } from './window-state';

const here = fileURLToPath(new URL('.', import.meta.url));
const rendererDir = join(here, '../renderer');
const rendererUrl = process.env.ELECTRON_RENDERER_URL ?? APP_PAGE_URL;
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);

let window: BrowserWindow | null = null;
let service: AppService | null = null;
let openDb: Db | null = null;
let log: Log = silentLog();

/** better-sqlite3 built for Electron by `npm start` (scripts/electron-native.mjs), when present. */
function sqliteBinding(): string | undefined {
  const built = join(app.getAppPath(), '.cache', 'electron-native', process.versions.electron, 'better_sqlite3.node');
  return existsSync(built) ? built : undefined;
}

/** The renderer's own files, and nothing else, each with the CSP header. */
async function serveAppFile(request: Request): Promise<Response> {
  const file = appFileFor(request.url, rendererDir);
  const response = file ? await net.fetch(pathToFileURL(file).href).catch(() => null) : null;
  if (!file || !response?.ok) return new Response('Not found', { status: 404 });
  return new Response(response.body, {
    headers: { 'Content-Type': contentTypeFor(file), 'Content-Security-Policy': CONTENT_SECURITY_POLICY },
  });
}

function harden(): void {
  protocol.handle(APP_SCHEME, serveAppFile);
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback) => callback(allowsPermission(permission)));
  session.defaultSession.setPermissionCheckHandler((_contents, permission) => allowsPermission(permission));
  session.defaultSession.setDevicePermissionHandler((details) => allowsPermission(details.deviceType));
  // The dev server's pages get the same header as the app:// ones.
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  const followLink = (event: Electron.Event, url: string) => {
    const decision = navigationDecision(url, rendererUrl);
    if (!decision.allow) event.preventDefault();
    if (decision.openInBrowser) void shell.openExternal(decision.openInBrowser);
  };
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', followLink);
    contents.on('will-redirect', followLink);
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      const decision = newWindowDecision(url);
      if (decision.openInBrowser) void shell.openExternal(decision.openInBrowser);
      return { action: 'deny' };
    });
  });
}

function createWindow(db: Db): void {
  const bounds = restoreBounds(
    readSetting(db, 'window.bounds'),
    screen.getAllDisplays().map((display) => display.workArea),
  );
  window = new BrowserWindow({
    ...bounds,
    minWidth: 800,
    minHeight: 560,
    title: 'Bulk Cancel',
    show: false,
    webPreferences: secureWebPreferences(join(here, '../preload/index.cjs')),
  });
  window.once('ready-to-show', () => window?.show());
  window.on('close', confirmQuit);
  window.on('close', () => {
    if (window && !window.isMinimized()) writeSetting(db, 'window.bounds', window.getNormalBounds());
  });
  window.on('closed', () => {
    window = null;
  });
  void window.loadURL(rendererUrl);
}

async function start(): Promise<void> {
  harden();
  Menu.setApplicationMenu(appMenu(process.platform));
  const dataDir = process.env.BULK_CANCEL_DATA_DIR ?? app.getPath('userData');
  // Electron's own logs folder, or the logs folder of BULK_CANCEL_DATA_DIR (as the CLI does).
  const logDir = process.env.BULK_CANCEL_DATA_DIR ? join(dataDir, LOG_FOLDER) : app.getPath('logs');
  log = openLog(logDir);
  log.info('app started', {
    version: app.getVersion(),
    electron: process.versions.electron,
    chrome: process.versions.chrome,
    node: process.versions.node,
    platform: process.platform,
    arch: process.arch,
    dataDir,
    logDir,
  });
  let db: Db;
  try {
    const binding = sqliteBinding();
    db = openDatabase(dataDir, binding ? { nativeBinding: binding } : {});
    openDb = db;
    service = createService({
      db,
      credentials: withSessionFallback(keychainStore()),
      transport: fetchTransport((url, init) => net.fetch(url, init)),
      owner: claimerName('app'),
      log,
      appVersion: app.getVersion(),
      copyText: (text) => clipboard.writeText(text),
      chooseExportPath: async (suggestedName) => {
        const options = { defaultPath: join(app.getPath('documents'), suggestedName) };
        const choice = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
        return choice.canceled || !choice.filePath ? null : choice.filePath;
      },
    });
  } catch (error) {
    log.error('data cannot be opened', { error });
    await log.flush();
    dialog.showErrorBox('Bulk Cancel cannot open its data', describeError(error));
    app.exit(4);
    return;
  }
  const current = service;
  ipcMain.handle(INVOKE_CHANNEL, (event: IpcMainInvokeEvent, channel: unknown, payload: unknown) =>
    isTrustedSender(event, window, rendererUrl) ? dispatch(current.handlers, channel, payload) : UNTRUSTED_SENDER_ANSWER,
  );
  current.onEvent((name, payload) => {
    window?.webContents.send(EVENT_CHANNEL, name, payload);
    // A batch that finishes while the clerk works in another window is worth a desktop notification.
    if (name === 'batch.finished' && !window?.isFocused() && Notification.isSupported()) {
      const { counts, total } = payload;
      new Notification({
        title: 'Bulk Cancel: batch finished',
        body: `${counts.succeeded} of ${total} succeeded, ${counts.failed} failed${counts.pending ? `, ${counts.pending} cancellation(s) queued by the provider` : ''}.`,
      }).show();
    }
  });
  // A laptop that wakes up probes its offline accounts at once instead of waiting out the backoff.
  powerMonitor.on('resume', () => {
    log.info('machine woke up');
    current.wake();
  });
  createWindow(db);
  current.resumeWaiting();
}

/** Quitting mid-send loses nothing (items go back to the queue), but the clerk should know. */
let quitConfirmed = false;
function confirmQuit(event: Electron.Event): void {
  const sending = service?.sendingCount() ?? 0;
  if (sending === 0 || quitConfirmed) return;
  const choice = dialog.showMessageBoxSync({
    type: 'question',
    buttons: ['Keep sending', 'Quit'],
    defaultId: 0,
    cancelId: 0,
    message: `${sending} cancellation(s) are being sent right now.`,
    detail: 'If you quit, nothing is lost: what is not finished stays queued and is sent the next time Bulk Cancel opens.',
  });
  if (choice === 0) event.preventDefault();
  else quitConfirmed = true;
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });
  app.on('before-quit', confirmQuit);
  app.on('window-all-closed', () => {
    void service
      ?.close()
      .then(() => log.info('app quits'))
      .then(() => log.flush())
      .finally(() => app.quit());
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0 && openDb) createWindow(openDb);
  });
  void app.whenReady().then(start);
}
