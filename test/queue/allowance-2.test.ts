// The Request Allowance suite (allowance.suite.ts) on n8n 2.x.
import { allowanceSuite } from './allowance.suite';

allowanceSuite(2);
