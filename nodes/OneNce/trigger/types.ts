import type { Order, OrderPage } from '../transport/orders';
import type { OrderEvent, Transition } from './changes';
import type { TriggerSettings } from './settings';
import type { TriggerState } from './state';

/**
 * How a poll reads 1NCE; the node passes the real transport, unit tests an in-memory list. Both calls throw
 * AttemptBudgetSpent, before sending anything, once the poll's request budget is spent.
 */
export interface TriggerIo {
	fetchPage(page: number): Promise<OrderPage>;
	/** The order, or undefined when 1NCE says it does not exist. */
	fetchOrder(orderNumber: number): Promise<Order | undefined>;
}

export interface PollInput {
	prior: TriggerState | undefined;
	settings: TriggerSettings;
	io: TriggerIo;
	now: number;
	/** stateAccount().key of the credential: what a new state is bound to. */
	account: string;
}

/** What one poll mode worked out; poll.ts adds the events. */
export interface ModeResult {
	/** Every transition seen, including those filtered out. */
	transitions: Transition[];
	/** The state to store (its generation is the prior one; the caller bumps it). Undefined: nothing to store. */
	state: TriggerState | undefined;
	/** The request budget ran out: the rest of the work is carried in the state. */
	budgetSpent: boolean;
	/** Why the list could not be trusted, when this poll started a recovery. */
	recoveryStarted?: string;
	/** order_number values of orders skipped because they are not whole numbers. */
	unnumbered: unknown[];
}

export interface PollOutcome extends ModeResult {
	/** Output items' JSON: the transitions the user asked for. */
	events: OrderEvent[];
	/** This poll was a baseline. */
	baseline: boolean;
}
