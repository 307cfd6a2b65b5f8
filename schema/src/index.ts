// @reelforge/schema: the one definition of Reelforge's data, callables, job payloads and model outputs.
export * from './limits.js';
export * from './primitives.js';
export * from './languages.js';
export * from './jobs.js';
export * from './project.js';
export * from './project-files.js';
export * from './takes.js';
export * from './render-settings.js';
export * from './usage.js';
export * from './uploads.js';
export * from './api.js';
export * from './llm.js';
export * from './camel.js';
