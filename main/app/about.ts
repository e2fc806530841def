import type { MessageBoxOptions } from 'electron';
import type { Core } from '../core/context';

export interface AboutFacts {
  version: string;
  dataDir: string;
  /** Where the data folder came from, in words: IT asks first where the data is. */
  dataDirSource: string;
  schemaVersion: number;
  pcId: string;
  versions: { electron?: string | undefined; chrome?: string | undefined; node?: string | undefined };
}

export function aboutFacts(core: Core, version: string, dataDirSource: string, versions: AboutFacts['versions'] = process.versions): AboutFacts {
  return {
    version,
    dataDir: core.dataDir,
    dataDirSource,
    schemaVersion: core.db.pragma('user_version', { simple: true }) as number,
    pcId: core.pcId,
    versions,
  };
}

/** The About box: what support asks for, in one place, copyable (Ctrl+C copies a message box on Windows). */
export function aboutBox(facts: AboutFacts): MessageBoxOptions {
  const runtime = [
    facts.versions.electron && `Electron ${facts.versions.electron}`,
    facts.versions.chrome && `Chromium ${facts.versions.chrome}`,
    facts.versions.node && `Node.js ${facts.versions.node}`,
  ].filter(Boolean);
  return {
    type: 'info',
    title: 'About Wardkeep',
    message: `Wardkeep ${facts.version}`,
    detail: [
      'Upkeep of medical equipment on hospital wards and in clinics.',
      '',
      `Data folder: ${facts.dataDir} (${facts.dataDirSource})`,
      `Database version: ${facts.schemaVersion}`,
      `This PC's id: ${facts.pcId}`,
      runtime.join(', '),
    ].join('\n'),
    buttons: ['OK'],
    defaultId: 0,
    cancelId: 0,
    noLink: true,
  };
}

/** "set by IT in C:\ProgramData\Wardkeep\wardkeep.json", "this PC's own folder", … */
export function describeSource(source: 'flag' | 'env' | 'config' | 'machine' | 'user', configFile: string): string {
  switch (source) {
    case 'flag':
      return 'chosen with --data-dir';
    case 'env':
      return 'set by WARDKEEP_DATA_DIR';
    case 'config':
      return `set in ${configFile}`;
    case 'machine':
      return "this PC's shared folder";
    case 'user':
      return 'your own folder';
  }
}
