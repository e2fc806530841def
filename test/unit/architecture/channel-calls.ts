import path from 'node:path';
import ts from 'typescript';
import { sourceFiles } from './import-graph';

/** The string literal values a type stands for: `'a'` → [a]; `'a' | 'b'` → [a, b]; anything wider → []. */
function literals(type: ts.Type): string[] {
  if (type.isStringLiteral()) return [type.value];
  if (type.isUnion()) return type.types.every((t) => t.isStringLiteral()) ? type.types.map((t) => (t as ts.StringLiteralType).value) : [];
  return [];
}

/**
 * The forms a channel's name is passed in: a literal, a template, a variable, `MAP[key]`,
 * `a ? 'x' : 'y'`. Only these are asked about; asking about every argument (calls of calls,
 * objects, functions) makes TypeScript check all of them, which is slow.
 */
const MAY_BE_A_NAME: ((node: ts.Node) => boolean)[] = [
  ts.isStringLiteral,
  ts.isNoSubstitutionTemplateLiteral,
  ts.isTemplateExpression,
  ts.isIdentifier,
  ts.isElementAccessExpression,
  ts.isPropertyAccessExpression,
  ts.isConditionalExpression,
  ts.isParenthesizedExpression,
  ts.isAsExpression,
];

/**
 * Which channels code in `folders` calls: every argument of every call whose type (as TypeScript
 * sees it) is a channel's name or a union of some of them: `call('equipment.get', …)`,
 * `useChannelMutation(\`workOrders.${kind}\`)`, `PRINT_DOCUMENT_CHANNELS[view]`. A name that only
 * appears elsewhere (a key of the invalidation map, a comparison, a comment) is no call. An
 * argument that may be any channel at all (the ipcMain wiring, the preload forwarding whatever the
 * renderer names) says nothing about which are used, so it is left out.
 */
export function calledChannels(root: string, folders: readonly string[], channels: readonly string[]): Map<string, string[]> {
  const names = new Set(channels);
  const files = sourceFiles(root, folders);
  const config = ts.getParsedCommandLineOfConfigFile(path.join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  const options: ts.CompilerOptions = { ...(config?.options ?? {}), noEmit: true, incremental: false, tsBuildInfoFile: undefined };
  const program = ts.createProgram({ rootNames: files, options });
  const checker = program.getTypeChecker();
  const called = new Map<string, string[]>();
  for (const file of files) {
    const source = program.getSourceFile(file);
    if (!source) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
        for (const arg of node.arguments ?? []) {
          if (!MAY_BE_A_NAME.some((is) => is(arg))) continue;
          const values = literals(checker.getTypeAtLocation(arg)).filter((v) => names.has(v));
          if (values.length === 0 || values.length === names.size) continue;
          const where = `${path.relative(root, file)}:${source.getLineAndCharacterOfPosition(arg.getStart()).line + 1}`;
          for (const v of values) called.set(v, [...(called.get(v) ?? []), where]);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return called;
}
