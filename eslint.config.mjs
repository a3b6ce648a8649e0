// Lint rules, including the layering: every import in electron/, renderer/ and shared/ goes along an
// allowed edge of the layer graph (layers/imports, below), and no runtime import cycle (import-x/no-cycle).
import { isBuiltin } from 'node:module';
import path from 'node:path';
import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// The layer graph. A file belongs to the layer whose folder holds it; it may import files of the layers in
// `layers`, Node built-ins if `node`, the `electron` package (and its subpaths) if `electron`, and npm
// packages: any (`'*'`) or those listed. Anything else, including files outside every layer (tests/,
// scripts/, package.json), is an error. Type-only imports count: a type from main in core still ties
// core to Electron's shell, and a type in shared/ from core still drags Node types into the renderer.
const LAYERS = {
  core: {
    folder: 'electron/core',
    layers: ['core', 'shared'],
    node: true,
    electron: false,
    packages: '*',
    why: 'core is plain Node, run by the app and the CLI alike: no Electron, nothing of main, cli or the renderer',
  },
  cli: {
    folder: 'electron/cli',
    layers: ['cli', 'core', 'shared'],
    node: true,
    electron: false,
    packages: '*',
    why: 'the CLI runs headless over core: no Electron, nothing of main or the renderer',
  },
  main: {
    folder: 'electron/main',
    layers: ['main', 'core', 'shared'],
    node: true,
    electron: true,
    packages: '*',
    why: 'main is the Electron shell over core and shared/',
  },
  preload: {
    folder: 'electron/preload',
    layers: ['preload', 'shared'],
    node: false,
    electron: true,
    packages: [],
    why: 'the sandboxed preload only bridges: electron and shared/, nothing else',
  },
  renderer: {
    folder: 'renderer',
    layers: ['renderer', 'shared'],
    node: false,
    electron: false,
    packages: ['react', 'react-dom', '@tanstack/react-virtual', 'zod'],
    why: 'the renderer has no Node and talks to main only through the typed bridge (shared/contract.ts)',
  },
  shared: {
    folder: 'shared',
    layers: ['shared'],
    node: false,
    electron: false,
    packages: ['zod'],
    why: 'shared/ runs in main and in the renderer: zod and itself only',
  },
};

const root = import.meta.dirname;

/** The layer holding this absolute path, or undefined. */
function layerOf(file) {
  const relative = path.relative(root, file).split(path.sep).join('/');
  return Object.keys(LAYERS).find((name) => relative === LAYERS[name].folder || relative.startsWith(`${LAYERS[name].folder}/`));
}

/** `react-dom/client` → `react-dom`, `@tanstack/react-virtual` → itself. */
function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Why importing `specifier` from `file` breaks the layering, or undefined when the edge is allowed. */
function forbiddenEdge(file, specifier, extraPackages) {
  const from = layerOf(file);
  if (from === undefined) return undefined;
  const layer = LAYERS[from];
  const bare = specifier.replace(/[?#].*$/, '');
  if (bare.startsWith('.') || path.isAbsolute(bare)) {
    const to = layerOf(path.resolve(path.dirname(file), bare));
    if (to !== undefined && layer.layers.includes(to)) return undefined;
    return { from, target: to === undefined ? 'a file outside electron/, renderer/ and shared/' : LAYERS[to].folder };
  }
  if (isBuiltin(bare)) return layer.node ? undefined : { from, target: 'Node built-ins' };
  const name = packageName(bare);
  if (name === 'electron') return layer.electron ? undefined : { from, target: 'the electron package' };
  if (layer.packages === '*' || layer.packages.includes(name) || extraPackages.includes(name)) return undefined;
  return { from, target: `the package ${name}` };
}

const layersPlugin = {
  meta: { name: 'layers' },
  rules: {
    imports: {
      meta: {
        type: 'problem',
        docs: { description: 'Every import goes along an allowed edge of the layer graph in eslint.config.mjs.' },
        schema: [
          {
            type: 'object',
            properties: { extraPackages: { type: 'array', items: { type: 'string' } } },
            additionalProperties: false,
          },
        ],
        messages: {
          forbidden: '{{folder}} may not import {{target}} ("{{specifier}}"): {{why}}.',
        },
      },
      create(context) {
        const extraPackages = context.options[0]?.extraPackages ?? [];
        const check = (node) => {
          if (node?.type !== 'Literal' || typeof node.value !== 'string') return;
          const edge = forbiddenEdge(context.physicalFilename, node.value, extraPackages);
          if (edge === undefined) return;
          const layer = LAYERS[edge.from];
          context.report({
            node,
            messageId: 'forbidden',
            data: { folder: `${layer.folder}/`, target: edge.target, specifier: node.value, why: layer.why },
          });
        };
        return {
          ImportDeclaration: (node) => check(node.source),
          ExportNamedDeclaration: (node) => check(node.source),
          ExportAllDeclaration: (node) => check(node.source),
          ImportExpression: (node) => check(node.source),
          TSImportType: (node) => check(node.source ?? node.argument?.literal), // `argument` is deprecated for `source`
          TSExternalModuleReference: (node) => check(node.expression),
          CallExpression: (node) => {
            if (node.callee.type === 'Identifier' && node.callee.name === 'require') check(node.arguments[0]);
          },
        };
      },
    },
  },
};

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      '.cache/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'tests/artifacts/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['electron/**', 'renderer/**', 'shared/**'],
    plugins: { layers: layersPlugin },
    rules: { 'layers/imports': 'error' },
  },
  {
    // Renderer unit tests run under vitest.
    files: ['renderer/**/*.test.ts', 'renderer/**/*.test.tsx'],
    rules: { 'layers/imports': ['error', { extraPackages: ['vitest'] }] },
  },
  {
    // No import cycle anywhere (app, tests, scripts). Runtime cycles only: import-x skips `import type`
    // edges, which TypeScript erases, so they cannot leave a module half-initialised when it runs.
    files: ['**/*.ts', '**/*.tsx', '**/*.mts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.tsx', '.mts', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx', '.mts'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.mts', '.js', '.mjs', '.json'] })],
    },
    // maxDepth 10: the longest runtime import chain today is 6 steps (tests/unit → shared/ipc.ts), so any
    // cycle one new import could close is found; the search costs the same at 3 or ∞ (parsing dominates).
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true, maxDepth: 10 }] },
  },
);
