// The node's parameter checks, which run before any request: order numbers, sort keys, limits, order bodies.
import { buildOrderBody as readOrder } from '../nodes/OneNce/actions/order/orderBody';
import { parseOrderNumber } from '../nodes/OneNce/actions/order/get.operation';
import { limitParameter } from '../nodes/OneNce/actions/fields';
import { sortParameter } from '../nodes/OneNce/actions/order/getAll.operation';

/** The order body alone; buildOrderBody also gives the rows it read. */
const buildOrderBody = (parameters: Parameters<typeof readOrder>[0]) => readOrder(parameters).body;

describe('parseOrderNumber', () => {
	test.each([
		['2000000001', 2000000001],
		[' 7 ', 7],
		[5, 5],
		['007', 7],
		['999999999999', 999_999_999_999],
	])('%j → %i', (raw, number) => {
		expect(parseOrderNumber(raw)).toBe(number);
	});

	test.each(['abc', '-1', '0', 0, '1.5', 1.5, '', '  ', '1e3', '0x1F', '+5', '9007199254740993', null, undefined, {}, NaN])(
		'%j is refused',
		(raw) => {
			expect(() => parseOrderNumber(raw)).toThrow(/^Order number must be a positive whole number, got "/);
		},
	);
});

test.each(['1000000000000', 2 ** 40])('order number %j is above the bound', (raw) => {
	expect(() => parseOrderNumber(raw)).toThrow(/^Order number must be at most 999999999999/);
});

describe('sortParameter', () => {
	test.each([
		[undefined, undefined],
		[null, undefined],
		['', undefined],
		[[], undefined],
		[[' '], undefined],
		[['order_number'], 'order_number'],
		[['order_status', 'order_date'], 'order_status,order_date'],
		[['order_date', 'order_status'], 'order_date,order_status'],
		['order_date, order_status', 'order_date,order_status'],
		[['order_date', 'order_date'], 'order_date'],
	])('%j → %j', (keys, query) => {
		expect(sortParameter(keys)).toBe(query);
	});

	test.each([['-order_date'], ['order_status', 'status'], 'date'])('%j is refused', (keys) => {
		expect(() => sortParameter(keys)).toThrow(/is not a sort key; use order_number, order_status, order_date/);
	});
});

describe('limitParameter', () => {
	test('Return All means no limit, whatever the limit field holds', () => {
		expect(limitParameter(true, 'nonsense')).toBeUndefined();
	});

	test.each([
		[1, 1],
		['25', 25],
		[1000, 1000],
	])('%j → %i', (raw, limit) => {
		expect(limitParameter(false, raw)).toBe(limit);
	});

	test.each([0, -1, 2.5, 'ten', '', null])('%j is refused', (raw) => {
		expect(() => limitParameter(false, raw)).toThrow(/Limit must be a whole number of at least 1/);
	});
});

describe('buildOrderBody', () => {
	test('reads each row once: a product picked from the list is marked, its locator reduced to the id', () => {
		const products = { product: [{ productId: { __rl: true, mode: 'list', value: ' 1001 ' }, quantity: 2 }, { productId: '1002', quantity: '3' }] };
		expect(readOrder({ products, deliveryAddress: {}, customerReference: undefined }).rows).toEqual([
			{ productId: 1001, quantity: 2, picked: true },
			{ productId: 1002, quantity: 3, picked: false },
		]);
	});

	const products = { product: [{ productId: 1001, quantity: 2 }] };
	const place = { street: 'Sapporobogen', zip: '80637', city: 'Munich', country: 'DE' };

	test('products only', () => {
		expect(buildOrderBody({ products, deliveryAddress: {}, customerReference: undefined })).toEqual({
			products: [{ productId: 1001, quantity: 2 }],
		});
	});

	test('numbers given as text are converted', () => {
		expect(
			buildOrderBody({ products: { product: [{ productId: ' 1002 ', quantity: '10' }] }, deliveryAddress: {}, customerReference: '' }),
		).toEqual({ products: [{ productId: 1002, quantity: 10 }] });
	});

	test('the address: salutation kept as "1"/"2", blanks dropped, values trimmed, country upper-cased', () => {
		const body = buildOrderBody({
			products,
			deliveryAddress: {
				address: { salutation: '2', first_name: ' Ada ', company: '', street: 'Sapporobogen', zip: '80637', city: 'Munich', country: ' de ', phone: null },
			},
			customerReference: ' PO-1 ',
		});
		expect(body).toEqual({
			products: [{ productId: 1001, quantity: 2 }],
			delivery_address: { salutation: '2', first_name: 'Ada', ...place },
			customer_reference: 'PO-1',
		});
	});

	test('an address without salutation is sent without one (1NCE applies its own default)', () => {
		const body = buildOrderBody({ products, deliveryAddress: { address: place }, customerReference: undefined });
		expect(body.delivery_address).toEqual(place);
	});

	test.each([{}, { salutation: '' }, { salutation: '1' }, { salutation: '2', city: '  ', phone: null }])(
		'an added but empty delivery address %j sends no address at all',
		(address) => {
			expect(buildOrderBody({ products, deliveryAddress: { address }, customerReference: undefined })).toEqual({
				products: [{ productId: 1001, quantity: 2 }],
			});
		},
	);

	test.each(['0x10', '0b11', '0o7', '1e3', '1_000', '+5', ' ', '٣'])('quantity and product id %j are refused (decimal digits only)', (raw) => {
		expect(() => buildOrderBody({ products: { product: [{ productId: 1001, quantity: raw }] }, deliveryAddress: {}, customerReference: undefined })).toThrow(
			/^Product 1: quantity must be a positive whole number/,
		);
		expect(() => buildOrderBody({ products: { product: [{ productId: raw, quantity: 1 }] }, deliveryAddress: {}, customerReference: undefined })).toThrow(
			/^Product 1: product ID must be a positive whole number/,
		);
	});

	test.each([[100_001, /^Product 1: quantity must be at most 100000, got "100001"$/], ['99999999', /quantity must be at most/]])(
		'quantity %j is above the bound',
		(quantity, message) => {
			expect(() => buildOrderBody({ products: { product: [{ productId: 1001, quantity }] }, deliveryAddress: {}, customerReference: undefined })).toThrow(message);
		},
	);

	test('a JSON number that is whole is taken; leading zeros are decimal', () => {
		const body = buildOrderBody({ products: { product: [{ productId: '01001', quantity: 3 }] }, deliveryAddress: {}, customerReference: undefined });
		expect(body.products).toEqual([{ productId: 1001, quantity: 3 }]);
	});

	test('numbers given to text fields become text', () => {
		const address = { ...place, zip: 80637, house_number: 6 };
		const body = buildOrderBody({ products, deliveryAddress: { address }, customerReference: 4711 });
		expect(body).toEqual({
			products: [{ productId: 1001, quantity: 2 }],
			delivery_address: { ...place, zip: '80637', house_number: '6' },
			customer_reference: '4711',
		});
	});

	test.each([
		[{ address: { street: { name: 'Main' } } }, undefined, /^Delivery address: Street must be text, got an object$/],
		[{ address: { city: ['Munich'] } }, undefined, /^Delivery address: City must be text, got a list$/],
		[{ address: { phone: true } }, undefined, /^Delivery address: Phone must be text, got a boolean$/],
		[{}, { ref: 1 }, /^Customer Reference must be text, got an object$/],
	])('objects, lists and booleans in text fields are refused by name: %j %j', (deliveryAddress, customerReference, message) => {
		expect(() => buildOrderBody({ products, deliveryAddress, customerReference })).toThrow(message);
	});

	test.each(['ß', 'ıt', 'ſe', 'ﬀ', 'DΕ', 'D\u0130'])('country %j is refused (two ASCII letters only)', (country) => {
		expect(() => buildOrderBody({ products, deliveryAddress: { address: { country } }, customerReference: undefined })).toThrow(
			/^Country code must be two letters/,
		);
	});

	test('fields outside the spec are not sent', () => {
		const body = buildOrderBody({
			products,
			deliveryAddress: { address: { salutation: '1', ...place, state: 'BE' } },
			customerReference: undefined,
		});
		expect(body.delivery_address).toEqual({ salutation: '1', ...place });
	});

	test.each([
		[{}, /at least one product/],
		[{ product: [] }, /at least one product/],
		[undefined, /at least one product/],
		[{ product: [{ productId: 1001, quantity: 0 }] }, /^Product 1: quantity must be a positive whole number, got "0"$/],
		[{ product: [{ productId: 1001 }] }, /^Product 1: quantity must be a positive whole number, got ""$/],
		[{ product: [{ productId: 0, quantity: 1 }] }, /^Product 1: product ID must be a positive whole number, got "0"$/],
		[{ product: [{ productId: 'x', quantity: 1 }] }, /^Product 1: product ID/],
		[{ product: [{ productId: 1001, quantity: 1 }, { productId: -3, quantity: 1 }] }, /^Product 2: product ID/],
	])('products %j are refused', (bad, message) => {
		expect(() => buildOrderBody({ products: bad, deliveryAddress: {}, customerReference: undefined })).toThrow(message);
	});

	test.each(['Germany', 'D', '12', 'DEU', 'D-'])('country %j is refused', (country) => {
		expect(() => buildOrderBody({ products, deliveryAddress: { address: { country } }, customerReference: undefined })).toThrow(
			/^Country code must be two letters/,
		);
	});

	test.each([
		[{ company: 'IoT Fleet GmbH' }, 'Delivery address is incomplete: add Street, ZIP Code, City, Country Code'],
		[{ salutation: '1', street: 'Ring', country: 'de' }, 'Delivery address is incomplete: add ZIP Code, City'],
		[{ ...place, zip: ' ', house_number: '6' }, 'Delivery address is incomplete: add ZIP Code'],
	])('an address with some fields but not street, ZIP code, city and country is refused: %j', (address, message) => {
		expect(() => buildOrderBody({ products, deliveryAddress: { address }, customerReference: undefined })).toThrow(
			new RegExp(`^${message}$`),
		);
	});

	test.each([
		[{ product: [null] }, /^Product 1: the row is empty; give a product ID and a quantity$/],
		[{ product: [{ productId: 1001, quantity: 1 }, undefined] }, /^Product 2: the row is empty; give a product ID and a quantity$/],
		[{ product: [{ productId: { __rl: true, mode: 'list', value: '' }, quantity: ' ' }] }, /^Product 1: the row is empty/],
		[{ product: [5] }, /^Product 1: the row must have a product ID and a quantity, got a number$/],
		[{ product: [[1001, 1]] }, /^Product 1: the row must have a product ID and a quantity, got a list$/],
		[{ product: { productId: 1001, quantity: 1 } }, /^Products must be a list of products, each with a product ID and a quantity, got an object$/],
		[{ product: 'x' }, /^Products must be a list of products, each with a product ID and a quantity, got a string$/],
		[7, /^Products must be a list of products, each with a product ID and a quantity, got a number$/],
	])('product rows %j that are no rows are refused by name', (bad, message) => {
		expect(() => buildOrderBody({ products: bad, deliveryAddress: {}, customerReference: undefined })).toThrow(message);
	});

	test('an unknown salutation is refused', () => {
		expect(() =>
			buildOrderBody({ products, deliveryAddress: { address: { salutation: 'Dr' } }, customerReference: undefined }),
		).toThrow('Salutation must be Mr or Ms');
	});
});
