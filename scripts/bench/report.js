// Turns benchmark rows into a text table, a markdown file and an SVG chart of request cost against N.
'use strict';

const escapeXml = (text) => String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function table(rows, columns) {
	const cells = rows.map((row) => columns.map(([, get]) => String(get(row))));
	const widths = columns.map(([title], i) => Math.max(title.length, ...cells.map((c) => c[i].length)));
	const line = (values) => values.map((v, i) => v.padStart(widths[i])).join('  ');
	return [line(columns.map(([title]) => title)), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

function markdownTable(rows, columns) {
	const head = `| ${columns.map(([title]) => title).join(' | ')} |`;
	const rule = `| ${columns.map(() => '---').join(' | ')} |`;
	return [head, rule, ...rows.map((row) => `| ${columns.map(([, get]) => get(row)).join(' | ')} |`)].join('\n');
}

/** Log-log chart: list + token requests for Return All over N orders, this package and the naive way. */
function requestCostSvg(rows, { naiveLabel = 'naive way', note = '' } = {}) {
	const width = 560;
	const height = 356;
	const pad = { left: 70, right: 20, top: 40, bottom: 62 };
	const xs = rows.map((r) => r.n);
	const ys = rows.flatMap((r) => [r.oursList + r.oursToken, r.naiveList + r.naiveToken]);
	const log = Math.log10;
	const [x0, x1] = [log(Math.min(...xs)) - 0.1, log(Math.max(...xs)) + 0.1];
	const [y0, y1] = [log(Math.min(...ys)) - 0.1, log(Math.max(...ys)) + 0.1];
	const px = (v) => pad.left + ((log(v) - x0) / (x1 - x0)) * (width - pad.left - pad.right);
	const py = (v) => height - pad.bottom - ((log(v) - y0) / (y1 - y0)) * (height - pad.top - pad.bottom);
	const series = [
		['n8n-nodes-1nce (list + token)', '#00a19a', (r) => r.oursList + r.oursToken],
		[`${naiveLabel} (list + token)`, '#d9534f', (r) => r.naiveList + r.naiveToken],
	];
	const parts = [
		`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="Arial, sans-serif" font-size="12">`,
		`<rect width="100%" height="100%" fill="#ffffff"/>`,
		`<text x="${width / 2}" y="22" text-anchor="middle" font-size="14">Requests to list all orders (Get Many, Return All)</text>`,
		note ? `<text x="${width / 2}" y="${height - 8}" text-anchor="middle" font-size="10" fill="#666">${escapeXml(note)}</text>` : '',
		`<line x1="${pad.left}" y1="${height - pad.bottom}" x2="${width - pad.right}" y2="${height - pad.bottom}" stroke="#333"/>`,
		`<line x1="${pad.left}" y1="${pad.top}" x2="${pad.left}" y2="${height - pad.bottom}" stroke="#333"/>`,
		`<text x="${width / 2}" y="${height - 28}" text-anchor="middle">orders (N, log scale)</text>`,
		`<text x="18" y="${height / 2}" text-anchor="middle" transform="rotate(-90 18 ${height / 2})">requests (log scale)</text>`,
	];
	for (const n of xs) {
		parts.push(`<text x="${px(n)}" y="${height - pad.bottom + 16}" text-anchor="middle">${n}</text>`);
	}
	for (let p = Math.ceil(y0); p <= Math.floor(y1); p++) {
		const v = 10 ** p;
		parts.push(`<line x1="${pad.left - 4}" y1="${py(v)}" x2="${width - pad.right}" y2="${py(v)}" stroke="#eee"/>`);
		parts.push(`<text x="${pad.left - 8}" y="${py(v) + 4}" text-anchor="end">${v}</text>`);
	}
	series.forEach(([label, color, get], i) => {
		const points = rows.map((r) => `${px(r.n).toFixed(1)},${py(get(r)).toFixed(1)}`).join(' ');
		parts.push(`<polyline points="${points}" fill="none" stroke="${color}" stroke-width="2"${i ? ' stroke-dasharray="6 4"' : ''}/>`);
		for (const r of rows) parts.push(`<circle cx="${px(r.n).toFixed(1)}" cy="${py(get(r)).toFixed(1)}" r="3.5" fill="${color}"/>`);
		parts.push(`<rect x="${pad.left + 12}" y="${pad.top + 4 + i * 18}" width="14" height="4" fill="${color}"/>`);
		parts.push(`<text x="${pad.left + 32}" y="${pad.top + 10 + i * 18}">${escapeXml(label)}</text>`);
	});
	parts.push('</svg>');
	return parts.filter(Boolean).join('\n') + '\n';
}

module.exports = { table, markdownTable, requestCostSvg };
