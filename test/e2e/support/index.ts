// Shared support for the end-to-end tests over the emulators (see scripts/emulators.ts).
export * from './env.js';
export * from './admin.js';
export * from './client.js';
export * from './errors.js';
export * from './file-user.js';
export * from './fixtures.js';
export * from './wait.js';
