// Preload: exposes `window.desk` — typed wrappers over two IPC channels, nothing else (no ipcRenderer, no fs).
import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import { DESK_EVENT_CHANNEL, DESK_INVOKE_CHANNEL, DESK_PRINT_CHANNEL } from '../contract';
import type { DeskBridge, DeskEvents } from '../contract';

const desk: DeskBridge = {
  invoke: (name, args) => ipcRenderer.invoke(DESK_INVOKE_CHANNEL, name, args),
  on: (event, listener) => {
    const wrapped = (
      _e: IpcRendererEvent,
      name: keyof DeskEvents,
      payload: DeskEvents[typeof event],
    ): void => {
      if (name === event) listener(payload);
    };
    ipcRenderer.on(DESK_EVENT_CHANNEL, wrapped);
    return () => ipcRenderer.off(DESK_EVENT_CHANNEL, wrapped);
  },
  printPdf: (base64, title) => ipcRenderer.invoke(DESK_PRINT_CHANNEL, base64, title),
};

contextBridge.exposeInMainWorld('desk', desk);
