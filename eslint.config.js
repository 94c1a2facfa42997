// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'coverage/**', 'bench/data/**', '.nx/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': ['error', {
        paths: [{ name: 'child_process', message: 'use execa with an argument array' },
          { name: 'node:child_process', message: 'use execa with an argument array' }],
      }],
    },
  },
  {
    // The six libraries never import each other (all may import @leap/contract, the foundation); only @leap/cli composes them.
    files: ['packages/{markers,git-prep,inventory,db-migrate,osa-deploy,f5}/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['@leap/*', '!@leap/contract', '../../*/src/*'], message: 'libraries do not import each other; take an interface as a parameter' }],
        paths: [{ name: 'child_process', message: 'use execa with an argument array' },
          { name: 'node:child_process', message: 'use execa with an argument array' }],
      }],
    },
  },
  {
    files: ['packages/*/src/**/*.ts'],
    ignores: ['packages/cli/src/lab/**'],
    rules: {
      'max-lines-per-function': ['error', { max: 80 }],
    },
  },
);
