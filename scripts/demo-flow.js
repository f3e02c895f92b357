// The example flow `npm start` runs in n8n's engine against the simulator: create an order, get it, list orders.
'use strict';

const path = require('node:path');

const { table: columnsTable } = require('./bench/report');

/** A text table of the named fields of each row. */
function table(rows, fields) {
	return columnsTable(rows, fields.map((field) => [field, (row) => row[field] ?? '']));
}

async function runDemoFlow({ root, sim, log = console.log }) {
	const { createEngine } = require(path.join(root, 'dev/engine/n8n-engine'));
	const { OneNce } = require(path.join(root, 'dist/nodes/OneNce/OneNce.node'));
	const { OneNceApi } = require(path.join(root, 'dist/credentials/OneNceApi.credentials'));

	const engine = createEngine({ nodeTypes: { oneNce: new OneNce() }, credentialTypes: [new OneNceApi()] });
	const credentials = engine.store.add('demo', 'oneNceApi', sim.credentialData());
	const node = (name, parameters) => ({ name, type: 'n8n-nodes-1nce.oneNce', parameters: { resource: 'order', ...parameters }, credentials });
	try {
		const result = await engine.run({
			nodes: [
				node('Create Order', {
					operation: 'create',
					products: { product: [{ productId: 1001, quantity: 5 }] },
					deliveryAddress: {
						address: { salutation: '2', first_name: 'Ada', last_name: 'Lovelace', company: 'IoT Fleet GmbH', street: 'Sapporobogen', house_number: '6-8', zip: '80637', city: 'Munich', country: 'de' },
					},
					additionalFields: { customerReference: 'PO-2026-0042' },
				}),
				node('Get Order', { operation: 'get', orderNumber: '={{ $json.order_number }}' }),
				node('List Orders', { operation: 'getAll', returnAll: false, limit: 5, sort: ['order_date'] }),
			],
		});
		if (result.error) throw result.error;

		const created = result.json('Create Order')[0];
		log(`\n1. Create Order  -> HTTP ${created.status_code}, order number ${created.order_number ?? '(not returned)'}, location ${created.location ?? '-'}`);
		const fetched = result.json('Get Order');
		log('\n2. Get Order\n' + table(fetched, ['order_number', 'order_type', 'order_status', 'order_date', 'invoice_amount']));
		log('\n3. List Orders (limit 5, sorted by order date)\n' + table(result.json('List Orders'), ['order_number', 'order_type', 'order_status', 'order_date', 'invoice_amount', 'currency']));
		log(`\nRequests seen by the simulator: ${sim.counts.token} token, ${sim.counts.create} create, ${sim.counts.get} get, ${sim.counts.list} list; spec violations: ${sim.validationErrors.length}`);
		return { result, counts: { ...sim.counts } };
	} finally {
		engine.shutdown();
	}
}

module.exports = { runDemoFlow };
