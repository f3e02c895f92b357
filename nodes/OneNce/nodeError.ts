import type { INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

// Errors a bug throws; input checks throw plain Error with a message meant for the user.
const INTERNAL_ERRORS = [TypeError, RangeError, ReferenceError, SyntaxError, EvalError];

/**
 * The error n8n shows, for the node and the trigger alike: API failures (NodeApiError from the transport) and
 * n8n's own node errors as they are, an input problem as a NodeOperationError with its message, a bug as an
 * internal error so that the user is not blamed for it.
 */
export function asNodeError(node: INode, error: unknown, itemIndex?: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	if (INTERNAL_ERRORS.some((type) => error instanceof type)) {
		return new NodeOperationError(node, `Internal error in the 1NCE node: ${(error as Error).message}`, {
			itemIndex,
			description: 'This is a fault in the node, not in your input. Please report it with the workflow that caused it.',
		});
	}
	return new NodeOperationError(node, error as Error, { itemIndex });
}
