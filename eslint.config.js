// One lint config for the whole monorepo. Rules here enforce docs/STYLE.md rather than taste:
// type-only imports, no reaching into another package's src/, env access only in config.ts,
// no import cycles, and a soft ceiling on file length.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import { importX } from 'eslint-plugin-import-x'
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript'
import reactHooks from 'eslint-plugin-react-hooks'

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/src/generated/**',
      '**/.turbo/**',
      'helm/**',
      'reports/**',
      '**/*.d.ts',
      'services/dashboard/web/dist/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    settings: {
      // Without this import-x parses only .js dependencies, so no-cycle never sees a TS cycle.
      'import-x/extensions': ['.ts', '.js'],
      'import-x/resolver-next': [
        createTypeScriptImportResolver({
          conditionNames: ['@pinion/source', 'types', 'import', 'default'],
        }),
      ],
    },
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@pinion/*/src', '@pinion/*/src/**'],
              message:
                'Import a package through its public entry point (or its ./internal export).',
            },
            {
              group: ['../../../*', '../../../../*'],
              message: 'Relative imports must not leave their package; depend on @pinion/<name>.',
            },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Only config.ts reads the environment; pass configuration down explicitly.',
        },
      ],
      'import-x/no-cycle': 'error',
      'max-lines': ['warn', { max: 300, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    // The places that legitimately read the environment: config loaders, test harnesses, scripts.
    files: [
      '**/config.ts',
      '**/*.test.ts',
      '**/test/**',
      '**/scripts/**',
      '**/bench/**',
      '**/*.config.ts',
      '**/*.config.js',
      'packages/testing/**',
      '**/src/testing.ts',
    ],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['**/*.test.ts', '**/test/**', '**/bench/**'],
    rules: { 'max-lines': 'off' },
  },
  {
    // The dashboard's browser app (React + Vite): hooks rules, .tsx resolution, and no `no-undef`
    // (TypeScript already knows the DOM globals; typescript-eslint advises turning it off).
    files: ['services/dashboard/web/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    settings: { 'import-x/extensions': ['.ts', '.tsx', '.js'] },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-undef': 'off',
    },
  },
  {
    files: ['services/dashboard/web/vite.config.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
)
