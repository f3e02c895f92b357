// Build step after tsc: copies each node's icons and codex (.node.json) into dist/, where n8n loads them.
const { src, dest } = require('gulp');

function copyAssets() {
	return src(['nodes/**/*.{svg,png,json}', 'credentials/**/*.{svg,png}'], { base: '.', encoding: false }).pipe(
		dest('dist'),
	);
}

exports['build:assets'] = copyAssets;
exports.default = copyAssets;
