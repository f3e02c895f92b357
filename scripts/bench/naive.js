// The way a user would list orders without this package: n8n's HTTP Request node with pagination
// ("increment page, stop when the response is empty"), fetching a token first in every execution.
'use strict';

async function naiveListAll(sim) {
	const basic = Buffer.from(`${sim.username}:${sim.password}`).toString('base64');
	const tokenResponse = await fetch(`${sim.url}/oauth/token`, {
		method: 'POST',
		headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/json' },
		body: JSON.stringify({ grant_type: 'client_credentials' }),
	});
	const { access_token: token } = await tokenResponse.json();
	const orders = [];
	for (let page = 1; ; page++) {
		const response = await fetch(`${sim.url}/v1/orders?page=${page}&pageSize=10`, {
			headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
		});
		if (!response.ok) throw new Error(`naive loop: page ${page} answered ${response.status}`);
		const body = await response.json();
		if (body.length === 0) return orders;
		orders.push(...body);
	}
}

module.exports = { naiveListAll };
