const { src, dest } = require('gulp');

// tsc only emits JavaScript; n8n also needs each node's icons and codex (.node.json) beside it in dist/.
function copyAssets() {
	return src(['nodes/**/*.{svg,png,json}', 'credentials/**/*.{svg,png}'], { base: '.', encoding: false }).pipe(
		dest('dist'),
	);
}

exports['build:assets'] = copyAssets;
exports.default = copyAssets;
