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
);
