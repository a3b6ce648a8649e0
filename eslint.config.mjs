// Lint rules, including the layering: electron/core and electron/cli never import Electron;
// renderer/ never imports Node built-ins or electron/; shared/ imports neither.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = builtinModules.flatMap((name) => [name, `node:${name}`]);
const noElectron = {
  name: 'electron',
  message: 'Core, CLI and shared code must run without Electron: pass what you need in from electron/main.',
};
const noNode = nodeBuiltins.map((name) => ({
  name,
  message: 'The renderer has no Node: ask main through the typed bridge (shared/contract.ts).',
}));

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
    files: ['electron/core/**', 'electron/cli/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron] }] },
  },
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron, ...noNode],
          patterns: [
            { group: ['**/electron/**', '**/electron'], message: 'The renderer talks to main only through the typed bridge.' },
          ],
        },
      ],
    },
  },
  {
    files: ['shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [noElectron, ...noNode.map((rule) => ({ ...rule, message: 'shared/ runs in main and renderer: no Node.' }))] },
      ],
    },
  },
);
