/**
 * The preload bridge: exposes `window.bulkCancel` with a typed `invoke` and `on`, and nothing else.
 * It runs sandboxed, so it imports only `electron` and type-only contract code.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { Bridge } from '../../shared/contract';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from '../../shared/ipc';

const bridge: Bridge = {
  invoke: (channel, request) => ipcRenderer.invoke(INVOKE_CHANNEL, channel, request),
  on: (event, listener) => {
    const handler = (_event: IpcRendererEvent, name: unknown, payload: unknown) => {
      if (name === event) listener(payload as Parameters<typeof listener>[0]);
    };
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, handler);
    };
  },
};

contextBridge.exposeInMainWorld('bulkCancel', bridge);
