// The Request Allowance suite (allowance.suite.ts) on n8n 1.x.
import { allowanceSuite } from './allowance.suite';

allowanceSuite(1);
