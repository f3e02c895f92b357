import type { Order, OrderPage } from '../transport/orders';
import { PAGE_SIZE } from '../transport/orders';

export interface BookPage {
	page: number;
	orders: Order[];
	/** order_number of each slot; NaN where an order carries no usable number. */
	numbers: number[];
	/** No later page held orders when this page was read (a short page, or X-Total-Pages says so). */
	last: boolean;
	/** X-Total-Pages as sent with this page. */
	totalPages?: number;
	/** Lowest and highest usable order number; undefined for a page without any. */
	range?: { min: number; max: number };
}

export function orderNumberOf(order: Order): number {
	const value = typeof order?.order_number === 'string' ? Number(order.order_number) : order?.order_number;
	return Number.isSafeInteger(value) && (value as number) > 0 ? (value as number) : NaN;
}

/** The pages read during one poll. Each page is read at most once per poll. */
export class PageBook {
	private readonly byPage = new Map<number, BookPage>();
	// The planner asks after every page read; both answers only change when a page is added.
	private sorted: BookPage[] | undefined;
	private problem: { reason?: string } | undefined;

	add(result: OrderPage): BookPage {
		const orders = Array.isArray(result.orders) ? result.orders : [];
		const numbers = orders.map(orderNumberOf);
		const valid = numbers.filter((n) => !Number.isNaN(n));
		const entry: BookPage = {
			page: result.page,
			orders,
			numbers,
			range: valid.length ? { min: valid[0], max: valid[valid.length - 1] } : undefined,
			last: orders.length < PAGE_SIZE || (result.totalPages !== undefined && result.page >= result.totalPages),
			totalPages: result.totalPages,
		};
		this.byPage.set(result.page, entry);
		this.sorted = undefined;
		this.problem = undefined;
		return entry;
	}

	get(page: number): BookPage | undefined {
		return this.byPage.get(page);
	}

	has(page: number): boolean {
		return this.byPage.has(page);
	}

	/** order_number values (as sent) of the orders without a usable whole number, on the pages read so far. */
	unnumbered(): unknown[] {
		return this.pages().flatMap((page) =>
			page.orders.filter((_, slot) => Number.isNaN(page.numbers[slot])).map((order) => order?.order_number),
		);
	}

	/** Pages read so far, ascending. */
	pages(): BookPage[] {
		this.sorted ??= [...this.byPage.values()].sort((a, b) => a.page - b.page);
		return this.sorted;
	}

	/** Highest X-Total-Pages seen (the most recent view of the list's length). */
	totalPages(): number | undefined {
		const totals = this.pages().flatMap((page) => page.totalPages ?? []);
		return totals.length ? Math.max(...totals) : undefined;
	}

	/**
	 * Why the pages contradict "sorted by order number ascending, new orders appended", if they do.
	 * A short page followed by a fuller list is not a contradiction: orders may be added while a poll runs.
	 */
	inconsistency(): string | undefined {
		this.problem ??= { reason: this.findInconsistency() };
		return this.problem.reason;
	}

	private findInconsistency(): string | undefined {
		let previous: { page: number; max: number } | undefined;
		let emptyPage: number | undefined;
		for (const { page, orders, numbers, range } of this.pages()) {
			if (!range) {
				if (orders.length > 0) return `page ${page} holds no order numbers`;
				emptyPage ??= page;
				continue;
			}
			const valid = numbers.filter((n) => !Number.isNaN(n));
			if (valid.some((n, i) => i > 0 && n <= valid[i - 1])) return `page ${page} is not sorted by order number`;
			if (emptyPage !== undefined) return `page ${page} holds orders after empty page ${emptyPage}`;
			if (previous && range.min <= previous.max) return `pages ${previous.page} and ${page} overlap or are out of order`;
			previous = { page, max: range.max };
		}
		return undefined;
	}
}
