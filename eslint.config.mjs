// Lint rules: zero warnings. Domain folders must never import `vscode` at runtime.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';

const vscodeOnly = {
  paths: [{ name: 'vscode', message: 'Domain code must not import vscode: put VS Code code in a ui/ folder or src/common/vscode/.' }],
};

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'tools/**', 'bench/**/*.js', '.vscode-test/**', 'test-output/**', '**/*.mjs', '**/*.cjs'] },
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
    files: ['test/**/*.ts'],
    rules: {
      // mocha's `this` and chai-less assertions
      '@typescript-eslint/no-unused-expressions': 'off',
    },
  },
);
