import type { BrowserWindow, OpenDialogOptions } from 'electron';
import { dialog } from 'electron';
import type { FolderPort } from '../core/ports';

/**
 * The backup folder is chosen in the system's folder dialog, run here in the main process: the page
 * asks for the dialog (`backups.chooseFolder`) and never gives a path, so a script in a page could
 * not point the backups at a share of its choosing (docs/security.md). On Windows a folder typed in
 * the dialog that does not exist yet is returned (`promptToCreate`) and Wardkeep makes it.
 */
export function createFolderPort(parent: () => BrowserWindow | null): FolderPort {
  return {
    async choose({ title, current }) {
      const options: OpenDialogOptions = {
        title,
        defaultPath: current,
        buttonLabel: 'Back up to this folder',
        properties: ['openDirectory', 'createDirectory', 'promptToCreate', 'dontAddToRecent'],
      };
      const win = parent();
      const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
  };
}
