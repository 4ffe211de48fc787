// The folder dialog a page may open (the Pretrained model block's folder) and the folders it gave.
import { resolve } from 'node:path';
import { CHOOSE_FOLDER_CHANNEL, type CallEnvelope } from '../../shared/api/wire';
import { UNTRUSTED, type InvokeEventLike, type IpcMainLike } from './ipc';

/** Folders the user picked in main's dialog: the only folders the desktop app's handlers read. */
export class ChosenFolders {
  private readonly folders = new Set<string>();

  add(path: string): void {
    this.folders.add(resolve(path));
  }

  has(path: string): boolean {
    return this.folders.has(resolve(path));
  }
}

/**
 * Answers CHOOSE_FOLDER_CHANNEL with the folder `show` returns (null when cancelled) and remembers it
 * in `chosen`. Returns a function that removes the handler.
 */
export function registerFolderDialog(
  ipc: IpcMainLike,
  show: () => Promise<string | null>,
  chosen: ChosenFolders,
  options: { isTrustedSender?: (event: InvokeEventLike) => boolean } = {},
): () => void {
  ipc.handle(CHOOSE_FOLDER_CHANNEL, async (event): Promise<CallEnvelope> => {
    if (options.isTrustedSender && !options.isTrustedSender(event)) return UNTRUSTED;
    try {
      const folder = await show();
      if (folder !== null) chosen.add(folder);
      return { ok: true, result: folder === null ? null : resolve(folder) };
    } catch (error) {
      console.error('Neural Workbench: the folder dialog failed:', error);
      return {
        ok: false,
        error: {
          code: 'internal',
          message:
            'The folder dialog could not be opened: try again, and restart the app if it keeps happening.',
        },
      };
    }
  });
  return () => ipc.removeHandler(CHOOSE_FOLDER_CHANNEL);
}
