/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	// Not test/queue: queue mode needs PostgreSQL and Redis (`npm run test:queue`, jest.queue.config.js). Excluded
	// here rather than by testPathIgnorePatterns, which a command line's --testPathIgnorePatterns replaces.
	testMatch: ['<rootDir>/test/**/*.test.ts', '!**/test/queue/**'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { diagnostics: false }],
		// openapi-backend requires @apidevtools/json-schema-ref-parser, which is ESM-only; Jest on
		// Node < 24.9 cannot require() ESM, so compile that one package to CommonJS.
		'/node_modules/@apidevtools/json-schema-ref-parser/.+\\.js$': [
			'ts-jest',
			{ diagnostics: false, tsconfig: { allowJs: true, isolatedModules: true } },
		],
	},
	transformIgnorePatterns: ['/node_modules/(?!@apidevtools/json-schema-ref-parser/)'],
	testTimeout: 60000,
	globalSetup: '<rootDir>/test/e2e/global-setup.js',
	// Tests start loopback servers and n8n engines; two workers suit the 2-core CI machine.
	maxWorkers: 2,
};
