import { Logger } from '@aws-lambda-powertools/logger';

/** The one logger of every function; service name and level come from POWERTOOLS_* variables. */
export const logger = new Logger({ serviceName: 'rootkeeper' });
