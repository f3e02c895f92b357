/**
 * `npm run test:queue`: n8n in queue mode (PostgreSQL, Redis, main + 2 workers) on n8n 1.x and 2.x. Four files,
 * queue-mode and allowance per major, each with a cluster of its own; two at a time. Kept out of `npm test`,
 * which needs neither PostgreSQL nor Redis.
 * @type {import('jest').Config}
 */
const base = require('./jest.config');

module.exports = {
	testEnvironment: base.testEnvironment,
	transform: base.transform,
	transformIgnorePatterns: base.transformIgnorePatterns,
	testMatch: ['<rootDir>/test/queue/**/*.test.ts'],
	globalSetup: '<rootDir>/test/queue/global-setup.js',
	// Two clusters at a time, one per worker: the files mostly wait (minute polls, Bull's locks, killed workers),
	// and nothing of one cluster is shared with another (own folder under .cache/queue/, ports from the OS, own
	// PostgreSQL and Redis data, results-<major>.json per major). A 2.x cluster takes up to 2.6 GB, a 1.x 1.6 GB.
	maxWorkers: 2,
	// Longest first, also without Jest's timing cache (test/queue/sequencer.js).
	testSequencer: '<rootDir>/test/queue/sequencer.js',
	testTimeout: 30 * 60_000,
};
