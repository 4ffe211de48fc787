import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const platformModules = [
  'electron',
  'node:*',
  'fs',
  'path',
  'os',
  'child_process',
  'better-sqlite3',
  'react',
  'react-dom',
];

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'dist-electron', 'release', 'data', 'coverage'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'off',
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  // Architecture boundaries (ARCHITECTURE.md, habit 2).
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: platformModules, message: 'shared/ is pure TypeScript: no platform imports.' },
            {
              group: ['**/electron/**', '**/renderer/**'],
              message: 'shared/ depends on nothing else in the repo.',
            },
          ],
        },
      ],
    },
  },
  {
    files: [
      'electron/services/**/*.ts',
      'electron/trainer/**/*.ts',
      'electron/cli/**/*.ts',
      'electron/server/**/*.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'Only electron/main and electron/preload import electron.' }],
          patterns: [{ group: ['**/renderer/**'], message: 'The host never imports the renderer.' }],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'The renderer talks to the host only through renderer/src/api.' },
          ],
          patterns: [
            { group: ['**/electron/**', 'node:*'], message: 'renderer/ never imports electron/ or Node.' },
          ],
        },
      ],
    },
  },
);
