import { PAGE_SIZE } from '../transport/orders';
import type { Observation } from './changes';
import { SPENT, unlessSpent } from './io';
import type { PageBook } from './pageBook';
import type { PlanGoal, PlanReason, Resolution } from './pagePlan';
import { nextStep } from './pagePlan';
import type { TriggerSettings } from './settings';
import type { TriggerIo } from './io';

// What the poll modes share: baseline.ts, regularPoll.ts, recovery.ts and sample.ts.

export type Planned =
	| { resolution: Resolution; spent: false }
	| { resolution: Resolution; spent: true; spentOn: PlanReason }
	| { inconsistent: string };

/** Reads the pages `goal` needs into `book` until done, the list contradicts itself, or the budget is spent. */
export async function readPlanned(book: PageBook, goal: PlanGoal, io: TriggerIo, maxProbes: number): Promise<Planned> {
	let probes = 0;
	for (;;) {
		const step = nextStep(book, goal);
		if (step.kind === 'done') return { resolution: step.resolution, spent: false };
		if (step.kind === 'inconsistent') return { inconsistent: step.reason };
		if (step.reason === 'search' && ++probes > maxProbes) {
			return { inconsistent: `an order was not found within ${maxProbes} pages of where it was` };
		}
		const page = await unlessSpent(io.fetchPage(step.page));
		if (page === SPENT) return { resolution: step.resolution, spent: true, spentOn: step.reason };
		book.add(page);
	}
}

/** Search probes one poll may spend; a search that needs more means the list changed beyond recognition. */
export function maxProbesFor(settings: TriggerSettings): number {
	return Math.max(3, settings.requestsPerPoll - 4);
}

export function observe(book: PageBook, tail?: { from: number; to: number }): Map<number, Observation> {
	const observed = new Map<number, Observation>();
	for (const page of book.pages()) {
		const inTail = tail !== undefined && page.page >= tail.from && page.page <= tail.to;
		page.numbers.forEach((number, slot) => {
			if (Number.isNaN(number)) return;
			observed.set(number, { order: page.orders[slot], index: (page.page - 1) * PAGE_SIZE + slot, inTail });
		});
	}
	return observed;
}

export function countUpTo(book: PageBook, page: number): number {
	return page < 1 ? 0 : (page - 1) * PAGE_SIZE + (book.get(page)?.orders.length ?? 0);
}
