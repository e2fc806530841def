import { describe, expect, it, vi } from 'vitest';

/** The stand-in for electron's dialog: records what was asked and answers as the person did. */
const fake = vi.hoisted(() => ({
  asked: [] as { parent: unknown; options: Record<string, unknown> }[],
  answer: { canceled: false, filePaths: [] as string[] },
}));
vi.mock('electron', () => ({
  dialog: {
    showOpenDialog: (...args: unknown[]) => {
      const [parent, options] = args.length === 2 ? args : [null, args[0]];
      fake.asked.push({ parent, options: options as Record<string, unknown> });
      return Promise.resolve(fake.answer);
    },
  },
}));

const { createFolderPort } = await import('../../../main/app/folder-dialog');

describe("the backup folder's dialog, run by the main process", () => {
  it('opens a folder dialog over the window, at the folder in use, and answers the folder chosen', async () => {
    const win = { id: 1 };
    fake.answer = { canceled: false, filePaths: ['E:\\Wardkeep backups'] };
    const port = createFolderPort(() => win as never);
    expect(await port.choose({ title: 'Choose the backup folder', current: 'C:\\Data\\backups' })).toBe('E:\\Wardkeep backups');
    expect(fake.asked[0]!.parent).toBe(win);
    expect(fake.asked[0]!.options).toMatchObject({ title: 'Choose the backup folder', defaultPath: 'C:\\Data\\backups' });
    // Folders only; a new one may be made (macOS) or typed (Windows).
    expect(fake.asked[0]!.options.properties).toEqual(expect.arrayContaining(['openDirectory', 'createDirectory', 'promptToCreate']));
    expect(fake.asked[0]!.options.properties).not.toContain('openFile');
  });

  it('answers null when the person cancels, and works with no window open', async () => {
    fake.asked = [];
    fake.answer = { canceled: true, filePaths: [] };
    expect(await createFolderPort(() => null).choose({ title: 't', current: '/data/backups' })).toBeNull();
    expect(fake.asked[0]!.parent).toBeNull();
  });
});
