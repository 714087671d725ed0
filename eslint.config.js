// Lint rules double as architecture rules: the import restrictions below keep
// the layers honest (core is pure, UI libraries stay in the UI, I/O-heavy
// libraries stay on the server side).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const ui = ['ink', 'ink-*', 'react', 'react/*'];
const serverOnly = ['node-pty', 'simple-git', '@xterm/*', 'lowdb', 'lowdb/*'];
const restrict = (groups, message) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: groups, message }] }],
});

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // fanout parses and matches terminal escape sequences; control characters in regexes are the point.
      'no-control-regex': 'off',
    },
  },
  {
    files: ['src/core/**', 'src/protocol/**'],
    rules: restrict([...ui, ...serverOnly, 'node:*', 'fs', 'child_process', 'net'], 'src/core and src/protocol are pure: no I/O, no UI.'),
  },
  {
    files: ['src/cli/**', 'src/client/**', 'src/harness/**'],
    rules: restrict([...ui, ...serverOnly], 'UI libraries belong in components/ and src/ui; pty, watcher, git and store libraries belong in src/server.'),
  },
  {
    files: ['src/ui/**', 'components/**'],
    rules: restrict(serverOnly, 'The dashboard is a client: it talks to the server over the protocol, never to ptys, git or the store.'),
  },
  {
    files: ['src/server/**'],
    rules: restrict(ui, 'The server has no UI.'),
  },
  {
    files: ['assets/**/*.mjs', '*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly' } },
  },
);
