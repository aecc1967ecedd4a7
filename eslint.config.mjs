// Lint rules: zero warnings. Domain folders must never import `vscode` at runtime.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import globals from 'globals';

const vscodeOnly = {
  paths: [{ name: 'vscode', message: 'Domain code must not import vscode: put VS Code code in a ui/ folder or src/common/vscode/.' }],
};

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'tools/**', 'bench/**/*.js', '.vscode-test/**', 'test-output/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'import-x/no-cycle': 'error',
      'import-x/no-default-export': 'error',
      eqeqeq: ['error', 'always'],
      curly: 'error',
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/**/ui/**', 'src/common/vscode/**', 'src/extension.ts'],
    rules: { 'no-restricted-imports': ['error', vscodeOnly] },
  },
  {
    // JavaScript launchers, UI test modules and build scripts: the same rules, except the
    // type-aware ones (no TypeScript program covers these files).
    files: ['**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Functions passed to page.evaluate/waitForFunction run in the workbench page.
    files: ['test/ui/**/*.mjs'],
    languageOptions: { globals: { document: 'readonly' } },
  },
  {
    // The webview scripts run in the browser (bundled by esbuild).
    files: ['media/**/*.mjs'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // ESLint reads its configuration from a default export.
    files: ['eslint.config.mjs'],
    rules: { 'import-x/no-default-export': 'off' },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // mocha's `this` and chai-less assertions
      '@typescript-eslint/no-unused-expressions': 'off',
    },
  },
);
