import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import config, { filesWithOwnModules, OWN_MODULES } from '../../../vitest.config';

const root = path.resolve(import.meta.dirname, '../../..');

/** Every .ts file under test/, as a path from the project's root. */
function testTree(): string[] {
  return readdirSync(path.join(root, 'test'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.posix.join('test', f.split(path.sep).join('/')))
    .sort();
}
const source = (file: string) => readFileSync(path.join(root, file), 'utf8');

interface Project {
  name: string;
  include: string[];
  exclude: string[];
  isolate: boolean;
  setupFiles: string[];
}
const projects: Project[] = (config.test!.projects as { test: Partial<Project> }[]).map(({ test }) => ({
  name: test.name!,
  include: test.include ?? [],
  exclude: test.exclude ?? [],
  isolate: test.isolate ?? true,
  setupFiles: test.setupFiles ?? [],
}));
const shared = projects.filter((p) => !p.isolate);

/** The two shapes of pattern the config uses: a folder with "**" and "*" plus an ending after it (all such files below the folder), or one file's path. */
function matches(file: string, glob: string): boolean {
  const deep = /^([\w/.-]+\/)\*\*\/\*([\w.-]+)$/.exec(glob);
  if (deep) return file.startsWith(deep[1]!) && file.endsWith(deep[2]!);
  if (glob.includes('*')) throw new Error(`vitest.config.ts has a pattern this check cannot read: ${glob}`);
  return file === glob;
}
/** Whether `file` is among a project's files by its include and exclude patterns. */
const inProject = (p: Project, file: string) => p.include.some((g) => matches(file, g)) && !p.exclude.some((g) => matches(file, g));

/**
 * Test files of a project with `isolate: false` share one process and its modules (vitest.config.ts).
 * These checks keep what that allows from leaking from one file into the next.
 */
describe('test files sharing a process', () => {
  const files = testTree();
  const testFiles = files.filter((f) => f.endsWith('.test.ts'));
  // The files of this config (the soak and Electron runs have their own, one file at a time).
  const ours = testFiles.filter((f) => /^test\/(unit|integration|fuzz|e2e)\//.test(f));

  it('are never files that replace modules or globals: those run in a project of their own', () => {
    // Searched in every folder of this config, e2e too, which has no project of its own modules.
    const mocking = ours.filter((f) => OWN_MODULES.test(source(f)));
    // The pattern finds them (the Electron shell's tests mock `electron`, for one).
    expect(mocking).toContain('test/unit/app/lifecycle.test.ts');
    expect(mocking).toEqual(filesWithOwnModules(['test/unit', 'test/integration', 'test/fuzz']));
    for (const f of mocking) {
      expect(
        shared.filter((p) => inProject(p, f)).map((p) => p.name),
        f,
      ).toEqual([]);
      expect(projects.filter((p) => inProject(p, f)).length, `${f} runs in no project`).toBeGreaterThan(0);
    }
  });

  it('run every test file exactly as often as before the split: each unit file in both zones, the rest once', () => {
    for (const f of ours) {
      const count = projects.filter((p) => inProject(p, f)).length;
      expect(count, f).toBe(f.startsWith('test/unit/') ? 2 : 1);
    }
  });

  it('put back the spies and fake clocks they make, in the same file', () => {
    const sharing = testFiles.filter((f) => shared.some((p) => inProject(p, f)));
    expect(sharing.length).toBeGreaterThan(300);
    const unrestored = sharing.filter((f) => {
      const text = source(f);
      const spies = /\bvi\.spyOn\(/.test(text) && !/\.mockRestore\(\)|vi\.restoreAllMocks\(\)/.test(text);
      const clocks = /\bvi\.useFakeTimers\(/.test(text) && !/\bvi\.useRealTimers\(\)/.test(text);
      return spies || clocks;
    });
    expect(unrestored).toEqual([]);
  });

  it('have their hooks from a setup file, never from the top of a shared helper (there it would run for the first file only)', () => {
    const setupFiles = new Set(projects.flatMap((p) => p.setupFiles));
    expect(setupFiles).toContain('test/helpers/cleanup-setup.ts');
    const helpers = files.filter((f) => !f.endsWith('.test.ts') && !setupFiles.has(f));
    const hooked = helpers.filter((f) => /^(beforeAll|beforeEach|afterAll|afterEach|onTestFinished)\(/m.test(source(f)));
    expect(hooked).toEqual([]);
    for (const p of shared) expect(p.setupFiles, p.name).toContain('test/helpers/cleanup-setup.ts');
  });
});
