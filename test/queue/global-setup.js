'use strict';
// Builds and packs the package once for all queue-mode files, instead of once per file.
const { packPackage } = require('../../dev/n8n/instance');

module.exports = async () => {
	process.env.N8N_1NCE_TARBALL = packPackage();
};
