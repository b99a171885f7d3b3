// Setup for the "js-path" jest project: the same engine tests without the native helper, as on a
// platform it is not built for (see jest.config.js and src/native.ts).
process.env.SAFE_PURGE_NATIVE = '0'
