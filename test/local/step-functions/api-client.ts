import { SFNClient, type SFNClientConfig } from '@aws-sdk/client-sfn';
import {
  startStepFunctionsApi,
  type LocalStepFunctions,
  type StepFunctionsApi,
} from '../../../local/step-functions';

export interface StepFunctionsApiClient {
  readonly api: StepFunctionsApi;
  /** The SDK client pointed at the API, as the command line and the functions call Step Functions. */
  readonly sfn: SFNClient;
  /** Destroys the client, then closes the API (the runner is the caller's). */
  close(): Promise<void>;
}

/** The local Step Functions API over a runner, and an SDK client for it. */
export async function startStepFunctionsApiClient(
  runner: LocalStepFunctions,
  region: string,
  client: Pick<SFNClientConfig, 'maxAttempts'> = {},
): Promise<StepFunctionsApiClient> {
  const api = await startStepFunctionsApi(runner);
  const sfn = new SFNClient({
    endpoint: api.url,
    region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    ...client,
  });
  return {
    api,
    sfn,
    close: async () => {
      sfn.destroy();
      await api.close();
    },
  };
}
