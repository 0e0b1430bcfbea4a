// ESLint flat config: typescript-eslint's recommended rules with type information
// (recommendedTypeChecked, through the TypeScript project service) over sources, tests and scripts
// alike; the plain JavaScript config files are linted without types.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'build/', 'coverage/', 'reports/', '.stryker-tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname }
    }
  },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }
      ]
    }
  },
  {
    // The simulator and the test support are written from the API reference, not from the code
    // they test: an import from src/ would let a misreading of the API pass on both sides.
    files: ['__tests__/support/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/src', '**/src/**'],
              message: 'Test support must not import from src/: write it from the API reference.'
            }
          ]
        }
      ]
    }
  }
)
