'use strict';
// Builds and packs the package once, before jest starts its workers, so the e2e files running in parallel
// share one tarball instead of rebuilding dist/ at the same time.
const { packPackage } = require('./instance');

module.exports = async () => {
	process.env.N8N_1NCE_TARBALL = packPackage();
};
