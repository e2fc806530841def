import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Paths the documentation names, checked against the repository, so a file moved or renamed (as
 * renderer/src/screens/ became renderer/src/features/) does not leave the docs pointing nowhere:
 * - a link `[text](target)` that is not a URL or an anchor resolves from the document's folder;
 * - a path in backticks that starts at a folder or file of the repository (`main/core/…`) exists,
 *   up to its first placeholder (`<feature>`, `*`, `…`): `main/core/<feature>/` needs main/core/;
 * - a path in backticks that starts inside a folder named around it (`dispatcher/rights.ts`, with
 *   main/core/ in the sentence) is the end of some file's path in the repository.
 * Bare file names (`handlers.ts`, `wardkeep.json` in the data folder) and what .gitignore names
 * (`out/`, `release/`, `.cache/`: made by the build) are not checked.
 */
const PLACEHOLDER = /[<>*…{}[\]$]/;

function ignoredNames(root: string): Set<string> {
  const lines = readFileSync(path.join(root, '.gitignore'), 'utf8').split('\n');
  return new Set([...lines.map((l) => l.trim().replace(/\/$/, '')).filter((l) => l && !l.includes('*')), '.git']);
}

/** Every file of the repository, relative to its root: what .gitignore names left out. */
export function repositoryFiles(root: string, ignored: Set<string> = ignoredNames(root)): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      if (ignored.has(entry.name)) continue;
      const rel = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(rel);
      else out.push(rel);
    }
  };
  walk('');
  return out;
}

export interface DocPathChecker {
  /** Each path in `markdown` (the text of `file`, relative to the root) that points nowhere, with its line. */
  broken(file: string, markdown: string): string[];
}

export function docPathChecker(root: string): DocPathChecker {
  const ignored = ignoredNames(root);
  const files = repositoryFiles(root, ignored);
  const top = new Set(readdirSync(root).filter((n) => !ignored.has(n)));
  const exists = (rel: string) => existsSync(path.join(root, rel));

  const brokenCode = (text: string): boolean => {
    const p = text.replace(/#.*$/, '').replace(/:\d+(:\d+)?$/, '');
    if (!p.includes('/') || /\s/.test(p) || /^[a-z][a-z0-9+.-]*:/i.test(p) || p.startsWith('/') || p.startsWith('-')) return false;
    const segments = p.split('/').filter((s) => s !== '' && s !== '.');
    if (segments.length === 0 || ignored.has(segments[0]!)) return false;
    if (top.has(segments[0]!)) {
      const firstPlaceholder = segments.findIndex((s) => PLACEHOLDER.test(s));
      const known = firstPlaceholder === -1 ? segments : segments.slice(0, firstPlaceholder);
      return !exists(known.join('/'));
    }
    // A path inside a folder the sentence names: a file somewhere in the repository ends with it.
    if (PLACEHOLDER.test(p) || !/\.[A-Za-z0-9]+$/.test(p)) return false;
    const tail = `/${segments.join('/')}`;
    return !files.some((f) => f.endsWith(tail));
  };

  const brokenLink = (file: string, target: string): boolean => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) return false;
    const p = decodeURI(target.replace(/[#?].*$/, ''));
    if (p === '') return false;
    return !exists(path.posix.join(path.posix.dirname(file), p));
  };

  return {
    broken(file, markdown) {
      const found: string[] = [];
      let fenced = false;
      markdown.split('\n').forEach((line, i) => {
        if (/^\s*```/.test(line)) fenced = !fenced;
        const where = `${file}:${i + 1}`;
        for (const m of line.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) if (brokenLink(file, m[1]!)) found.push(`${where}: link ${m[1]}`);
        if (fenced) return;
        for (const m of line.matchAll(/`([^`]+)`/g)) if (brokenCode(m[1]!.trim())) found.push(`${where}: \`${m[1]}\``);
      });
      return found;
    },
  };
}
