import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import type { ChannelName, WardkeepApi } from '../../shared/contract';
import { CHANNEL_NAMES } from '../../shared/contract';
import type { EventName } from '../../shared/contract/events';
import { EVENT_CHANNEL, EVENT_NAMES } from '../../shared/contract/events';
import { runShellCommand, SHELL_CHANNEL } from './shell';

// Only the contract's channels and events pass; ipcRenderer itself never reaches the page.
const channels = new Set<string>(CHANNEL_NAMES);
const events = new Set<string>(EVENT_NAMES);

const api: WardkeepApi = {
  invoke(channel, input) {
    if (!channels.has(channel)) {
      return Promise.resolve({ ok: false, error: { code: 'not_found', message: 'There is no such action.' } });
    }
    return ipcRenderer.invoke(channel satisfies ChannelName, input);
  },
  subscribe(event, listener) {
    if (!events.has(event)) return () => undefined;
    const handler = (_e: IpcRendererEvent, name: EventName, payload: unknown) => {
      // main sends only payloads of the EventMap type named by `name`
      if (name === event) listener(payload as Parameters<typeof listener>[0]);
    };
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, handler);
    };
  },
};

contextBridge.exposeInMainWorld('api', api);

// The shell's own commands (menu, notice click): checked here and handed to the page to carry out.
ipcRenderer.on(SHELL_CHANNEL, (_event, command: unknown) => {
  runShellCommand({ post: (message) => window.postMessage(message, '*') }, command);
});
