import { loadSharedConfigFiles } from '@smithy/core/config';
import { UsageError } from './errors';

/**
 * `--profile` as the AWS CLI v2 has it: it wins over AWS_PROFILE and over
 * AWS_ACCESS_KEY_ID, and everything the profile says (region, endpoint_url,
 * its [services] section, SSO, credential_process, role chaining) applies.
 * The SDK does all of that for the profile named by AWS_PROFILE, so the
 * flag sets that variable for this process; the profile is looked up first
 * with the SDK's own parser of the shared files, so that a typo reads as one
 * rather than as "Region is missing".
 */
export async function useProfile(profile: string, env: NodeJS.ProcessEnv): Promise<void> {
  const { configFile, credentialsFile } = await loadSharedConfigFiles({ ignoreCache: true });
  const known = new Set([...Object.keys(configFile), ...Object.keys(credentialsFile)]);
  if (!known.has(profile)) {
    // [services x] and [sso-session x] sections are not profiles.
    const profiles = [...known].filter((name) => !/^(services|sso-session)\./.test(name));
    const listed = profiles.sort().join(', ') || 'none';
    throw new UsageError(
      '--profile',
      `no profile "${profile}" in ${env.AWS_CONFIG_FILE ?? '~/.aws/config'} or ${env.AWS_SHARED_CREDENTIALS_FILE ?? '~/.aws/credentials'} (profiles: ${listed})`,
    );
  }
  env.AWS_PROFILE = profile;
}
