// ESLint flat config: typescript-eslint's type-aware recommended rules over sources, tests and scripts.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'build/', 'coverage/', 'reports/', '.stryker-tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }]
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
