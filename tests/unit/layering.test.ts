/**
 * The layering is enforced by lint (eslint.config.mjs): each forbidden edge of the layer graph, linted as
 * a snippet placed where it would live, fails with layers/imports; a runtime import cycle fails with
 * import-x/no-cycle; the allowed edges pass.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

/** The lint messages for `code` as if it were the file at `file` (relative to the repo). */
async function lint(file: string, code: string) {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result?.messages ?? [];
}

async function layeringErrors(file: string, code: string) {
  return (await lint(file, code)).filter((message) => message.ruleId === 'layers/imports' && message.severity === 2);
}

describe('a forbidden edge of the layer graph fails lint', () => {
  const forbidden: [string, string, string][] = [
    ['core importing main', 'electron/core/layering-probe.ts', "import '../main/menu';"],
    ['core importing cli', 'electron/core/layering-probe.ts', "import '../cli/args';"],
    ['core importing cli, type only', 'electron/core/queue/layering-probe.ts', "export type { Args } from '../../cli/args';"],
    ['core importing electron', 'electron/core/layering-probe.ts', "import 'electron';"],
    ['core importing the renderer', 'electron/core/layering-probe.ts', "import '../../renderer/src/App';"],
    ['core importing tests', 'electron/core/layering-probe.ts', "import '../../tests/unit/helpers';"],
    ['cli importing main', 'electron/cli/layering-probe.ts', "import '../main/x';"],
    ['cli importing electron', 'electron/cli/layering-probe.ts', "const electron = await import('electron');\nvoid electron;"],
    ['main importing cli', 'electron/main/layering-probe.ts', "import '../cli/args';"],
    ['preload importing node:fs', 'electron/preload/layering-probe.ts', "import 'node:fs';"],
    ['preload importing core', 'electron/preload/layering-probe.ts', "import '../core/errors';"],
    ['renderer importing node:fs', 'renderer/src/layering-probe.ts', "import 'node:fs';"],
    ['renderer importing electron/core', 'renderer/src/layering-probe.ts', "import '../../electron/core/x';"],
    ['renderer importing electron', 'renderer/src/layering-probe.ts', "import 'electron/renderer';"],
    ['renderer importing a package not on its list', 'renderer/src/layering-probe.ts', "import 'undici';"],
    ['shared importing node:path', 'shared/layering-probe.ts', "import 'node:path';"],
    ['shared importing electron/core', 'shared/layering-probe.ts', "import '../electron/core/x';"],
    ['shared importing the renderer', 'shared/layering-probe.ts', "export type X = import('../renderer/src/App').Props;"],
  ];

  it.each(forbidden)('%s', async (_name, file, code) => {
    expect(await layeringErrors(file, code)).toHaveLength(1);
  });
});

describe('the allowed edges pass', () => {
  const allowed: [string, string, string][] = [
    [
      'main importing core, shared and electron',
      'electron/main/layering-probe.ts',
      "import '../core/log';\nimport '../../shared/contract';\nimport 'electron';",
    ],
    [
      'cli importing core, shared, Node and packages',
      'electron/cli/layering-probe.ts',
      "import '../core/errors';\nimport '../../shared/domain';\nimport 'node:fs';\nimport 'undici';",
    ],
    [
      'core importing core, shared, Node and packages',
      'electron/core/layering-probe.ts',
      "import './errors';\nimport '../../shared/domain';\nimport 'node:path';\nimport 'better-sqlite3';",
    ],
    [
      'preload importing electron and shared',
      'electron/preload/layering-probe.ts',
      "import 'electron';\nimport '../../shared/ipc';",
    ],
    [
      'renderer importing shared, itself and its UI packages',
      'renderer/src/layering-probe.ts',
      "import '../../shared/contract';\nimport './App';\nimport 'react';\nimport 'react-dom/client';\nimport '@tanstack/react-virtual';\nimport 'zod';",
    ],
    ['shared importing shared and zod', 'shared/layering-probe.ts', "import './domain';\nimport 'zod';"],
  ];

  it.each(allowed)('%s', async (_name, file, code) => {
    expect(await lint(file, code)).toEqual([]);
  });
});

describe('import cycles', () => {
  // The cycle rule follows real files, so the two modules are written to a folder of their own and removed after.
  const folder = mkdtempSync(path.join(root, 'tests/unit/.layering-cycle-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  async function cycleErrors(bImportsA: string) {
    const a = "import { b } from './b';\n\nexport const a = (): number => b + 1;\n";
    writeFileSync(path.join(folder, 'a.ts'), a);
    writeFileSync(path.join(folder, 'b.ts'), `${bImportsA}\n\nexport const b = 1;\n`);
    const [result] = await eslint.lintText(a, { filePath: path.join(folder, 'a.ts') });
    return (result?.messages ?? []).filter((message) => message.ruleId === 'import-x/no-cycle');
  }

  it('a runtime cycle fails lint', async () => {
    expect(await cycleErrors("import { a } from './a';\n\nexport const twice = (): number => a() * 2;")).toHaveLength(1);
  });

  it('a cycle through an `import type` only does not: TypeScript erases it, so nothing runs half-initialised', async () => {
    expect(await cycleErrors("import type { a } from './a';\n\nexport type A = typeof a;")).toEqual([]);
  });

  it('the provider clients no longer import the registry that imports them (issue 14)', () => {
    for (const provider of ['electio', 'sorted-pro', 'sendcloud']) {
      const source = readFileSync(path.join(root, 'electron/core/providers', `${provider}.ts`), 'utf8');
      expect(source).not.toMatch(/from '\.\/client'/);
    }
  });
});
