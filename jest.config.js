// Jest runs the TypeScript sources as native ESM through ts-jest (the @actions/* 3.x packages
// are ESM-only), so it needs node --experimental-vm-modules: see the "test" script.
// Two projects: every test with the native helper (dist/native/) loaded, and the engine's safety
// tests again on the JavaScript path (SAFE_PURGE_NATIVE=0), which runs where the helper does not.
const base = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }]
  }
}

export default {
  testTimeout: 60000,
  maxWorkers: 2,
  projects: [
    { ...base, displayName: 'native', testMatch: ['<rootDir>/__tests__/**/*.test.ts'] },
    {
      ...base,
      displayName: 'js-path',
      setupFiles: ['<rootDir>/__tests__/helpers/js-path.ts'],
      testMatch: ['engine/run', 'engine/hardening', 'engine/policy.property', 'engine/concurrency', 'engine/held-open', 'engine/target-dirs', 'engine/move', 'fs/move'].map((n) => `<rootDir>/__tests__/${n}.test.ts`)
    }
  ]
}
