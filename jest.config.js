// Two projects: fast pure-TypeScript unit tests, and integration tests
// (`*.int.test.ts`) that each start their own redis-server.
const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } },
  ],
};
const common = {
  transform,
  testEnvironment: 'node',
  roots: ['<rootDir>/packages', '<rootDir>/test'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  modulePathIgnorePatterns: ['<rootDir>/packages/.*/dist/'],
  // Tests run the TypeScript sources of the workspace packages, not their builds.
  moduleNameMapper: {
    '^@sluice/(core|broker|worker|metrics-exporter)$':
      '<rootDir>/packages/$1/src',
  },
};

/** @type {import('jest').Config} */
module.exports = {
  // Per-project testTimeout is not honoured; integration tests need more than 5 s.
  testTimeout: 30000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: ['\\.int\\.test\\.ts$', '/node_modules/'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['**/*.int.test.ts'],
    },
  ],
};
