'use strict';
// Builds and packs the package once, before jest starts its workers, so the e2e files running in parallel
// share one tarball instead of rebuilding dist/ at the same time. Skipped (saving the ~6 s build) when the
// command line selects no e2e file, e.g. `npx jest test/transport.retry.test.ts`.
const fs = require('node:fs');
const path = require('node:path');
const { packPackage } = require('../../dev/n8n/instance');

function selectsAnE2eFile(globalConfig, projectConfig) {
	const files = fs
		.readdirSync(__dirname)
		.filter((f) => f.endsWith('.e2e.test.ts'))
		.map((f) => path.join(__dirname, f));
	const ignored = (projectConfig.testPathIgnorePatterns ?? []).map((p) => new RegExp(p));
	const patterns = globalConfig.testPathPatterns;
	const matches =
		patterns && typeof patterns.isSet === 'function' && patterns.isSet()
			? (file) => patterns.toExecutor({ rootDir: globalConfig.rootDir }).isMatch(file)
			: () => true;
	return files.some((file) => matches(file) && !ignored.some((re) => re.test(file)));
}

module.exports = async (globalConfig, projectConfig) => {
	if (!selectsAnE2eFile(globalConfig, projectConfig)) return;
	process.env.N8N_1NCE_TARBALL = packPackage();
};
module.exports.selectsAnE2eFile = selectsAnE2eFile;
