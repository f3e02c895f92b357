// Build step after tsc: copies each node's icons and codex (.node.json) into dist/, where n8n loads them.
const fs = require('node:fs');
const { src, dest } = require('gulp');

// A file whose source was removed or renamed would otherwise stay in dist/ and be packed and published.
async function clean() {
	fs.rmSync('dist', { recursive: true, force: true });
}

function copyAssets() {
	return src(['nodes/**/*.{svg,png,json}', 'credentials/**/*.{svg,png}'], { base: '.', encoding: false }).pipe(
		dest('dist'),
	);
}

exports.clean = clean;
exports['build:assets'] = copyAssets;
exports.default = copyAssets;
