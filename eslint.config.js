// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['**/dist/**', 'packages/cli/bundle/**', '**/node_modules/**', 'coverage/**', 'bench/data/**', '.nx/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'child_process', message: 'use execa with an argument array' },
            { name: 'node:child_process', message: 'use execa with an argument array' },
          ],
        },
      ],
    },
  },
  {
    // The six libraries never import each other (all may import @leap/contract, the foundation); only @leap/cli composes them.
    files: ['packages/{markers,git-prep,inventory,db-migrate,osa-deploy,f5}/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@leap/*', '!@leap/contract', '../../*/src/*'],
              message: 'libraries do not import each other; take an interface as a parameter',
            },
          ],
          paths: [
            { name: 'child_process', message: 'use execa with an argument array' },
            { name: 'node:child_process', message: 'use execa with an argument array' },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/*/src/**/*.ts'],
    rules: {
      'max-lines-per-function': ['error', { max: 80 }],
    },
  },
  {
    // @leap/lab builds a lab with @leap/inventory's generator; it is not a library the CLI composes, so it may import
    // @leap/inventory and @leap/contract but no other @leap package (never @leap/cli, which loads it lazily).
    files: ['packages/lab/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@leap/*', '!@leap/contract', '!@leap/inventory', '../../*/src/*'],
              message: '@leap/lab imports only @leap/inventory and @leap/contract',
            },
          ],
          paths: [
            { name: 'child_process', message: 'use execa with an argument array' },
            { name: 'node:child_process', message: 'use execa with an argument array' },
          ],
        },
      ],
    },
  },
);
