/**
 * `npm run test:queue`: n8n in queue mode (PostgreSQL, Redis, main + 2 workers) on n8n 1.x then 2.x. Two
 * files (queue-mode.test.ts, allowance.test.ts), one at a time, each with clusters of its own.
 * Kept out of `npm test`, which needs neither PostgreSQL nor Redis.
 * @type {import('jest').Config}
 */
const base = require('./jest.config');

module.exports = {
	testEnvironment: base.testEnvironment,
	transform: base.transform,
	transformIgnorePatterns: base.transformIgnorePatterns,
	testMatch: ['<rootDir>/test/queue/**/*.test.ts'],
	globalSetup: '<rootDir>/test/queue/global-setup.js',
	// One cluster at a time: each takes 1-2 GB and both cores while it starts.
	maxWorkers: 1,
	testTimeout: 30 * 60_000,
};
