// The plugin may talk to the host only through the SPI (house style 1): any import of
// host-sim/ other than host-sim/spi is an error inside plugin/.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'data/**', 'test-artifacts/**', 'bench/results/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    files: ['plugin/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{
          regex: '^(\\.\\./)+host-sim/(?!spi(/|$))',
          message: 'plugin/ may import only the host SPI (host-sim/spi).',
        }, {
          regex: '^(\\.\\./)+(test|bench)/',
          message: 'plugin/ must not depend on tests or benchmarks.',
        }],
      }],
    },
  },
  // Example plugins (examples/<name>/) follow the same rule as plugin/: the SPI only, and neither
  // this project's plugin nor its tests; their integration tests add the host's testing API.
  {
    files: ['examples/**/*.ts'],
    ignores: ['examples/*/test/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{
          regex: '^(\\.\\./)+host-sim/(?!spi(/|$))',
          message: 'A plugin may import only the host SPI (host-sim/spi).',
        }, {
          regex: '^(\\.\\./)+(plugin|test|bench)/',
          message: 'An example plugin must not depend on this project\'s plugin, tests or benchmarks.',
        }],
      }],
    },
  },
  {
    files: ['examples/*/test/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{
          regex: '^(\\.\\./)+host-sim/(?!(spi|testing)(/|$))',
          message: 'A plugin\'s tests may import the host SPI and its testing API (host-sim/testing) only.',
        }, {
          regex: '^(\\.\\./)+(plugin|test|bench)/',
          message: 'An example plugin must not depend on this project\'s plugin, tests or benchmarks.',
        }],
      }],
    },
  },
);
